// What a check gets to talk to the peer: labelled connections (A1, A2, B1 ...), sessions per
// principal, job helpers whose replies the driver's correlator matches (request_id, then trace_id,
// then order), and the run's configuration. Everything opened here is closed when the check ends.
import { NotApplicable, Skip, Violation } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { PeerConnection } from '../driver/connection.js';
import { Recorder } from '../driver/recorder.js';
import type { RoundTrips } from '../driver/round-trips.js';
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
  /** Checks in flight at once (runner/schedule.ts; default 4). */
  readonly concurrency?: number;
  /** Round trips measured so far in this run (reply waits derive from them). */
  readonly roundTrips?: RoundTrips;
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

/** Longest cancel grace the harness waits out (the TS reference SDK's default is 30 s). */
export const CANCEL_GRACE_ALLOWANCE_MS = 35_000;

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
      roundTrips: this.config.roundTrips,
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

  /** Sends job.submit; resolves with its reply (job.accepted, job.error or session.error), correlated by driver/correlator.ts. */
  submitRaw(s: Session, agent: string, input: unknown, opts: SubmitOptions = {}, send: { raw?: boolean } = {}): Promise<Envelope> {
    const env = envelope('job.submit', { agent, input, ...opts }, { session_id: s.sessionId, trace_id: newTraceId() });
    return s.conn.request(env, { raw: send.raw, what: `job.submit ${agent}` });
  }

  /** Submits and requires `job.accepted`; returns the job id. */
  async submit(s: Session, agent: string, input: unknown, opts: SubmitOptions = {}): Promise<string> {
    const reply = await this.submitRaw(s, agent, input, opts);
    if (reply.type !== 'job.accepted' && field(reply, 'payload', 'code') === 'AGENT_NOT_AVAILABLE' && agent.startsWith('conformance.')) {
      // the peer's inventory did not say (no agent_versions): a missing agent is a skip, not a failure
      throw new Skip(`peer does not host ${agent.split('@')[0]} (docs/conformance-agents.md)`);
    }
    if (reply.type !== 'job.accepted') {
      throw new Violation(`job.submit ${agent} answered by ${reply.type} ${String(field(reply, 'payload', 'code'))}`, { frame: reply });
    }
    const jobId = reply.job_id ?? field(reply, 'payload', 'job_id');
    if (typeof jobId !== 'string') throw new Violation('job.accepted carries no job_id', { frame: reply });
    return jobId;
  }

  /** Waits for the job's terminal (job.result or job.error). */
  terminal(s: Session, jobId: string, timeoutMs?: number): Promise<Envelope> {
    return s.conn.expectType(['job.result', 'job.error'], jobId, timeoutMs);
  }

  /**
   * Waits for the terminal of a job the harness cancelled. §7.4 sets no deadline for it, and a
   * runtime may give an agent a grace period to stop (the TS reference SDK: 30 s by default)
   * before it ends the job CANCELLED itself: a slow CANCELLED is conformant, only a missing or
   * wrong one is not.
   */
  terminalAfterCancel(s: Session, jobId: string): Promise<Envelope> {
    return this.terminal(s, jobId, Math.max(this.timeoutMs, CANCEL_GRACE_ALLOWANCE_MS));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close('check done')));
  }
}
