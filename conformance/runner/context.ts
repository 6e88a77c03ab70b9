// What a check gets to talk to the peer: labelled connections (A1, A2, B1 ...), sessions per
// principal, job helpers correlated the way the catalog recommends (request_id, then trace_id),
// and the run's configuration. Everything opened here is closed when the check ends.
import { NotApplicable, Skip, Violation } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { PeerConnection } from '../driver/connection.js';
import { Recorder } from '../driver/recorder.js';
import { hello, type Profile, type Session } from '../driver/session.js';
import type { PeerTarget } from '../driver/target.js';
import { envelope, field, newTraceId, type Envelope } from '../driver/wire.js';

export interface RunConfig {
  readonly target: PeerTarget;
  readonly profile: Profile;
  /** Per-expectation timeout, ms. */
  readonly timeoutMs: number;
  readonly seed: number;
  /** Cases per property. */
  readonly runs: number;
  /** fast-check replay path for `--replay-path` (with --only and --seed). */
  readonly replayPath?: string;
  /** False when the preflight found the peer hosts no conformance agents (runner/preflight.ts). */
  readonly hostsConformanceAgents?: boolean;
}

/** What the probe handshake learned about the peer. */
export interface PeerInfo {
  readonly runtime: { name?: string; version?: string };
  /** Features negotiated when asking for all 11. */
  readonly features: readonly string[];
  readonly agents: readonly { name: string; versions: readonly string[]; default?: string }[];
  readonly heartbeatIntervalSec?: number;
  readonly resumeWindowSec?: number;
}

export type Principal = 'A' | 'B';

export interface SubmitOptions {
  lease_request?: Record<string, string[]>;
  lease_constraints?: Record<string, unknown>;
  idempotency_key?: string;
  max_runtime_sec?: number;
}

export class CheckContext {
  readonly recorder = new Recorder();
  private readonly connections: PeerConnection[] = [];
  private readonly labels = { A: 0, B: 0 };
  /** Frames/cases counters a property reports (fuzz cases per second). */
  cases = 0;
  /** Connections opened before the current property case (they belong to earlier cases). */
  private caseStart = 0;

  constructor(
    readonly config: RunConfig,
    readonly peer: PeerInfo,
    readonly check: CheckDef,
  ) {}

  get profile(): Profile {
    return this.config.profile;
  }

  get timeoutMs(): number {
    return this.config.timeoutMs;
  }

  token(p: Principal): string {
    if (p === 'A') return this.config.target.tokenA;
    if (!this.config.target.tokenB) throw new Skip('needs a second principal (--token-b)');
    return this.config.target.tokenB;
  }

  hasFeature(f: string): boolean {
    return this.peer.features.includes(f);
  }

  requireFeature(f: string): void {
    if (!this.hasFeature(f)) throw new NotApplicable(`feature ${f} not negotiated`);
  }

  /**
   * Marks the start of one property case. Over --stdio every connection is a fresh runtime, so a
   * case that needs a single connection can still run; only a second connection within the SAME
   * case (reconnect, second principal on one runtime) is impossible there.
   */
  beginCase(): void {
    this.caseStart = this.connections.length;
  }

  /** Opens a raw connection (no handshake). The second connection needs a multi-connection peer. */
  async connect(p: Principal = 'A'): Promise<PeerConnection> {
    if (this.connections.length > this.caseStart && !this.config.target.multiConnection) {
      throw new Skip('needs more than one connection to the same runtime (not possible over --stdio)');
    }
    this.labels[p] += 1;
    const transport = await this.config.target.connect();
    const conn = new PeerConnection(`${p}${this.labels[p]}`, transport, this.recorder, {
      timeoutMs: this.timeoutMs,
      firstFrameTimeoutMs: this.config.target.handshakeTimeoutMs,
    });
    this.connections.push(conn);
    return conn;
  }

  /** Connects and completes a handshake as principal `p`. */
  async open(p: Principal = 'A', features?: readonly string[]): Promise<Session> {
    const token = this.token(p);
    const conn = await this.connect(p);
    return hello(conn, { token, features, timeoutMs: this.config.target.handshakeTimeoutMs });
  }

  note(text: string, conn = '--'): void {
    this.recorder.note(conn, text);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** Sends job.submit; resolves with the correlated reply (job.accepted, job.error or session.error). */
  async submitRaw(s: Session, agent: string, input: unknown, opts: SubmitOptions = {}, send: { raw?: boolean } = {}): Promise<Envelope> {
    const trace = newTraceId();
    const env = envelope('job.submit', { agent, input, ...opts }, { session_id: s.sessionId, trace_id: trace });
    s.conn.send(env, send);
    // catalog §5: correlate by payload.request_id, then by the echoed trace_id, then FIFO for a
    // job.accepted carrying neither (errors without correlation may answer anything else).
    return s.conn.expect((m) => {
      if (m.type !== 'job.accepted' && m.type !== 'job.error' && m.type !== 'session.error') return false;
      const requestId = field(m, 'payload', 'request_id');
      if (requestId === env.id || m.trace_id === trace) return true;
      return requestId === undefined && m.trace_id === undefined && m.type === 'job.accepted';
    }, `reply to job.submit ${agent}`);
  }

  /** Submits and requires `job.accepted`; returns the job id. */
  async submit(s: Session, agent: string, input: unknown, opts: SubmitOptions = {}): Promise<string> {
    const reply = await this.submitRaw(s, agent, input, opts);
    if (reply.type !== 'job.accepted' && field(reply, 'payload', 'code') === 'AGENT_NOT_AVAILABLE' && agent.startsWith('conformance.')) {
      // the peer's inventory did not say (no agent_versions): a missing agent is a skip, not a failure
      throw new Skip(`peer does not host ${agent.split('@')[0]} (docs/conformance-agents.md)`);
    }
    if (reply.type !== 'job.accepted') {
      throw new Violation(`job.submit ${agent} answered by ${reply.type} ${String(field(reply, 'payload', 'code'))}`);
    }
    const jobId = reply.job_id ?? field(reply, 'payload', 'job_id');
    if (typeof jobId !== 'string') throw new Violation('job.accepted carries no job_id');
    return jobId;
  }

  /** Waits for the job's terminal (job.result or job.error). */
  terminal(s: Session, jobId: string, timeoutMs?: number): Promise<Envelope> {
    return s.conn.expectType(['job.result', 'job.error'], jobId, timeoutMs);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close('check done')));
  }
}
