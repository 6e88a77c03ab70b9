// What a client check gets: a fresh scripted runtime and a fresh client under test per check (or
// per property case), helpers for the runtime's side of a handshake, a submit and a resume, and
// the trace. The oracle is the check's own bookkeeping of what it sent; no arcp-kit client code.
import { HarnessError, Violation } from '../checks/outcomes.js';
import { Recorder } from '../driver/recorder.js';
import { ALL_FEATURES, field } from '../driver/wire.js';
import { validateMessage } from '../../generated/validators.js';
import { ClientUnderTest, type Command, type DriverLink } from './client-under-test.js';
import type { Endpoint } from './driver-protocol.js';
import type { ClientCheckDef } from './check-types.js';
import * as F from './frames.js';
import { ScriptedRuntime, type Frame, type RuntimeConn } from './scripted-runtime.js';

/** Time a stdio client may take to spawn the relay before its first frame (a Node start-up). */
export const STDIO_SPAWN_ALLOWANCE_MS = 10_000;

export interface ClientRunConfig {
  /** Starts one driver for the client under test (in-process or --client-cmd). */
  readonly makeDriver: () => DriverLink;
  readonly describe: string;
  readonly timeoutMs: number;
  readonly seed: number;
  readonly runs: number;
  readonly replayPath?: string;
  /** The bearer token the driver is told to present. */
  readonly token: string;
  /** How the client reaches the scripted runtime (default ws). */
  readonly transport?: 'ws' | 'stdio';
  /** For stdio: the command line that starts the relay, given the runtime's URL. */
  readonly relayCommand?: (url: string) => string;
}

/** What the probe learned about the client: identity and the features its hello advertises. */
export interface ClientInfo {
  readonly runtime: { name?: string; version?: string };
  readonly features: readonly string[];
  readonly agents: readonly { name: string; versions: readonly string[] }[];
}

export interface OpenOptions {
  /** Features the scripted runtime lists in its welcome (default: all 11). */
  runtimeFeatures?: readonly string[];
  /** Features the driver asks its client to advertise (default: the library's default). */
  clientFeatures?: readonly string[];
  /** Send the welcome's features unfiltered (a hostile runtime listing what the client never offered). */
  unfiltered?: boolean;
  heartbeatSec?: number;
  autoAck?: boolean;
  autoResume?: boolean;
  /** Extra top-level fields on the welcome (unknown-field tolerance). */
  welcomeExtra?: Record<string, unknown>;
}

/** The runtime side of one client session on one connection. */
export class Session {
  /** Last event_seq the runtime issued in this session (shared by every connection of it). */
  seq = 0;
  autoResume = false;

  constructor(
    public conn: RuntimeConn,
    readonly sessionId: string,
    public token: string,
    public hello: Frame,
    readonly features: readonly string[],
  ) {}

  has(feature: string): boolean {
    return this.features.includes(feature);
  }

  /** Sends a sequenced job.event; returns its seq. */
  event(jobId: string, kind: string, body: unknown, extra: Record<string, unknown> = {}): number {
    this.seq += 1;
    this.conn.send({ ...F.event(this.sessionId, jobId, this.seq, kind, body), ...extra });
    return this.seq;
  }

  log(jobId: string, message: string): number {
    return this.event(jobId, 'log', { level: 'info', message });
  }

  result(jobId: string, payload?: Record<string, unknown>): number {
    this.seq += 1;
    this.conn.send(F.result(this.sessionId, jobId, this.seq, payload));
    return this.seq;
  }

  error(jobId: string, code: string, o: Parameters<typeof F.jobError>[4] = {}): number {
    this.seq += 1;
    this.conn.send(F.jobError(this.sessionId, jobId, this.seq, code, o));
    return this.seq;
  }
}

export class ClientCheckContext {
  recorder = new Recorder();
  cases = 0;
  private runtimeRef: ScriptedRuntime | undefined;
  private clientRef: ClientUnderTest | undefined;

  constructor(
    readonly config: ClientRunConfig,
    readonly peer: ClientInfo,
    readonly check: ClientCheckDef,
  ) {}

  get timeoutMs(): number {
    return this.config.timeoutMs;
  }

  get runtime(): ScriptedRuntime {
    if (!this.runtimeRef) throw new HarnessError('call ctx.start() first');
    return this.runtimeRef;
  }

  get client(): ClientUnderTest {
    if (!this.clientRef) throw new HarnessError('call ctx.start() first');
    return this.clientRef;
  }

  /** Property hook (runProperty): each case calls start() itself, which replaces the previous pair. */
  beginCase(): void {}

  /** A fresh scripted runtime and a fresh client driver (disposing the previous ones). */
  async start(): Promise<void> {
    await this.stop();
    this.runtimeRef = await ScriptedRuntime.start(() => this.recorder, this.timeoutMs, (label, f) => this.validateClientFrame(label, f));
    if (this.config.transport === 'stdio') this.runtimeRef.acceptAllowanceMs = STDIO_SPAWN_ALLOWANCE_MS;
    this.clientRef = new ClientUnderTest(this.config.makeDriver(), () => this.recorder, this.timeoutMs);
  }

  async stop(): Promise<void> {
    const c = this.clientRef;
    const r = this.runtimeRef;
    this.clientRef = undefined;
    this.runtimeRef = undefined;
    // Runtime first: the client then sees its transport gone and close() does not wait for a reply.
    await r?.close().catch(() => undefined);
    if (c) await c.dispose().catch(() => undefined);
  }

  note(text: string): void {
    this.recorder.note('..', text);
  }

  /** The scripted runtime as the driver must reach it (ws URL, or the stdio relay command). */
  endpoint(): Endpoint {
    const url = this.runtime.url;
    if (this.config.transport !== 'stdio') return { url };
    if (!this.config.relayCommand) throw new HarnessError('stdio transport without a relay command');
    return { url, transport: 'stdio', command: this.config.relayCommand(url) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  /** Instructs `connect`, plays the runtime's side of the handshake, returns the session. */
  async open(o: OpenOptions = {}): Promise<Session> {
    const reply = this.client.do({
      op: 'connect',
      ...this.endpoint(),
      token: this.config.token,
      ...(o.clientFeatures ? { features: [...o.clientFeatures] } : {}),
      auto_ack: o.autoAck ?? false,
      auto_resume: o.autoResume ?? false,
    });
    reply.catch(() => undefined);
    const conn = await this.runtime.accept(this.timeoutMs, 'a connection after "connect"');
    const hello = await conn.nextType('session.hello');
    const offered = advertised(hello);
    const runtimeFeatures = o.runtimeFeatures ?? ALL_FEATURES;
    const features = o.unfiltered ? [...runtimeFeatures] : runtimeFeatures.filter((f) => offered.includes(f));
    const sessionId = F.ids.session();
    const token = F.ids.token();
    conn.send({ ...F.welcome(sessionId, token, { features, heartbeatSec: o.heartbeatSec, agents: [{ name: 'conformance.echo', versions: ['1.0.0'], default: '1.0.0' }] }), ...o.welcomeExtra });
    const r = await reply;
    if (!r.ok) throw new Violation(`connect: the client library failed with ${r.error.code} after a valid session.welcome (${r.error.message ?? ''})`);
    const s = new Session(conn, sessionId, token, hello, features.filter((f) => offered.includes(f)));
    s.autoResume = r.auto_resume === true;
    return s;
  }

  /** Instructs a submit, answers the job.submit with job.accepted, returns the job id and the submit frame. */
  async submit(s: Session, cmd: Partial<Extract<Command, { op: 'submit' }>> = {}, acceptExtra: Record<string, unknown> = {}): Promise<{ jobId: string; submit: Frame }> {
    const reply = this.client.do({ op: 'submit', agent: 'conformance.echo', input: { n: 1 }, ...cmd });
    reply.catch(() => undefined);
    const submit = await s.conn.nextType('job.submit');
    const jobId = F.ids.job();
    s.conn.send(F.accepted(s.sessionId, jobId, submit, acceptExtra));
    const r = await reply;
    if (!r.ok) throw new Violation(`submit: the client library failed with ${r.error.code} after job.accepted`);
    if (r.job_id !== jobId) throw new Violation(`submit: the client library reported job ${String(r.job_id)}, job.accepted named ${jobId}`);
    return { jobId, submit };
  }

  /**
   * After the runtime dropped `s.conn`: waits for the client's resume (automatic, or on a `resume`
   * instruction when the library has none), answers it with a welcome carrying a fresh token, and
   * returns what the client presented. The caller then replays.
   */
  async acceptResume(s: Session, o: { instruct?: boolean } = {}): Promise<{ lastEventSeq: number; token: unknown; sessionId: unknown; frame: Frame }> {
    let reply: Promise<unknown> | undefined;
    if (!s.autoResume || o.instruct) {
      const p = this.client.do({ op: 'resume', ...this.endpoint() });
      p.catch(() => undefined);
      reply = p;
    }
    const conn = await this.runtime.accept(this.timeoutMs * 2, 'a new connection to resume the session');
    const frame = await conn.nextType(['session.hello', 'session.resume']);
    const r = resumeOf(frame);
    if (!r) throw new Violation(`the client reconnected with a plain ${String(frame.type)} instead of resuming session ${s.sessionId} (no resume block)`);
    const token = F.ids.token();
    s.conn = conn;
    s.hello = frame;
    s.token = token;
    conn.send(F.welcome(s.sessionId, token, { features: s.features, agents: [] }));
    if (reply) {
      const rr = (await reply) as { ok: boolean; error?: { code: string; message?: string } };
      if (!rr.ok) throw new Violation(`resume: the client library failed with ${rr.error?.code}${rr.error?.message ? ` (${rr.error.message})` : ''} after a valid welcome`);
    }
    return { lastEventSeq: r.last_event_seq, token: r.resume_token, sessionId: r.session_id, frame };
  }

  /** Client frames that fail the generated lenient schema are a failure of the check (like a runtime's). */
  private validateClientFrame(conn: string, f: Frame): void {
    if ('__raw' in f) {
      this.recorder.peerProblem(conn, `not a JSON object: ${String(f.__raw).slice(0, 120)}`);
      return;
    }
    const v = validateMessage('lenient', f);
    if (!v.ok) this.recorder.peerProblem(conn, `${String(f.type)}: ${v.issues.slice(0, 2).map((i) => `${i.path} ${i.message}`).join('; ')}`);
  }

  async dispose(): Promise<void> {
    await this.stop();
  }
}

/** The features a hello advertises. */
export function advertised(hello: Frame): string[] {
  const f = field(hello, 'payload', 'capabilities', 'features');
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

/** The resume block of a `session.hello` (catalog §9 #1) or a `session.resume` (spec §6.3). */
export function resumeOf(frame: Frame): { session_id?: unknown; resume_token: unknown; last_event_seq: number } | undefined {
  const p = (frame.type === 'session.resume' ? frame.payload : field(frame, 'payload', 'resume')) as Record<string, unknown> | undefined;
  if (!p || typeof p !== 'object') return undefined;
  return { session_id: p.session_id ?? frame.session_id, resume_token: p.resume_token, last_event_seq: typeof p.last_event_seq === 'number' ? p.last_event_seq : NaN };
}
