// One small interface over the two clients under test — arcp-kit's ARCPClient and the TS
// reference client — so every feature scenario is written once and run in both directions.
// Adapters only translate calls and record what each client shows its application.
import type { ChildProcess } from 'node:child_process';
import { ARCPClient } from '../../../runtime-kit/client/index.js';
import type { JobHandle, ResumeForm } from '../../../runtime-kit/client/index.js';
import type { Transport, TransportHandlers } from '../../../runtime-kit/transport/types.js';
import { validateMessage } from '../../../generated/validators.js';
import { loadTsClient } from './peer.js';

export interface Ev { seq: number; kind: string; body: any }
export type Outcome = { ok: true; result: unknown; resultId?: string } | { ok: false; code: string; retryable?: boolean; message: string };
export interface Job {
  jobId: string;
  budget?: Record<string, number> | undefined;
  events: Ev[];
  done(): Promise<Outcome>;
}
export interface Session {
  readonly features: string[];
  readonly agents: Array<{ name: string; versions?: string[]; default?: string }>;
  readonly sessionId: string;
  /** Every frame the client received (parsed), for evidence. */
  readonly inbound: any[];
  /**
   * What the wire showed that it should not have: for our client, the protocol errors it reported
   * (a frame of the peer outside every documented variant); for the TS client, frames of our
   * runtime that are not in the strict form (we send only strict).
   */
  wireProblems(): string[];
  submit(agent: string, input: unknown, opts?: { lease?: Record<string, string[]> }): Promise<Job>;
  cancel(job: Job): Promise<void>;
  list(): Promise<Array<{ job_id: string; status: string; agent: string }>>;
  subscribe(jobId: string): Promise<Job>;
  ack(): Promise<number>;
  /** Session errors seen while closing, if any. */
  close(): Promise<{ sessionErrors: any[] }>;
  /** Cuts the transport without any close message (the session stays resumable). */
  drop(): Promise<void>;
  /**
   * Resumes this session on a new transport from `fromSeq` (default: the latest seq seen); the
   * replay and its jobs' remaining events arrive on `adopt(jobId)`.
   */
  resume(opts?: { form?: ResumeForm; fromSeq?: number }): Promise<Session>;
  adopt(jobId: string): Job;
}
export interface Endpoint {
  /** One session per stdio process: no second session, no reconnect. */
  readonly multiSession: boolean;
  /** The resume forms the client can send. */
  readonly resumeForms: readonly ResumeForm[];
  open(token?: string): Promise<Session>;
}

/** Rejects when `p` has not settled in `ms` (a hang guard for peers that never answer). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${what} within ${ms / 1000} s`)), ms);
    }),
  ]);
}

const errorOutcome = (e: any): Outcome => ({ ok: false, code: String(e?.code ?? 'ERROR'), ...(typeof e?.retryable === 'boolean' ? { retryable: e.retryable } : {}), message: String(e?.message ?? e) });
const bytesOut = (v: unknown): unknown => (v instanceof Uint8Array ? Buffer.from(v) : v);

// ---------- arcp-kit's ARCPClient ----------

/** Records inbound frames of one of our transports. */
function recording(t: Transport, inbound: any[]): Transport {
  const start = t.start.bind(t);
  t.start = (h: TransportHandlers) =>
    start({
      ...h,
      message: (frame: string) => {
        try {
          inbound.push(JSON.parse(frame));
        } catch {
          inbound.push(frame);
        }
        h.message(frame);
      },
    });
  return t;
}

function ourJob(handle: JobHandle): Job {
  const events: Ev[] = [];
  const pump = (async () => {
    for await (const e of handle.events()) events.push({ seq: e.seq, kind: e.kind, body: e.body });
  })().catch(() => undefined);
  return {
    jobId: handle.jobId,
    budget: handle.budget,
    events,
    done: () => handle.done.then(async (r) => (await pump, { ok: true as const, result: bytesOut(r.result), ...(r.resultId ? { resultId: r.resultId } : {}) }), async (e) => (await pump, errorOutcome(e))),
  };
}

export function ourClientEndpoint(connect: () => Promise<Transport>, multiSession: boolean): Endpoint {
  const open = async (token = 'demo', resume?: { from: ARCPClient; form?: ResumeForm; fromSeq?: number }): Promise<Session> => {
    const inbound: any[] = [];
    const sessionErrors: any[] = [];
    const client = new ARCPClient({ client: { name: 'arcp-kit-interop', version: '1' }, token, handshakeTimeoutMs: 15_000, ...(resume?.form ? { resumeForm: resume.form } : {}) });
    client.on('sessionError', (e) => sessionErrors.push(e));
    const protocolErrors: string[] = [];
    client.on('protocolError', (e) => protocolErrors.push(e.message));
    const transport = recording(await connect(), inbound);
    try {
      if (resume) {
        const prev = resume.from;
        await client.resume(transport, { sessionId: prev.sessionId!, resumeToken: prev.resumeToken!, lastEventSeq: resume.fromSeq ?? prev.latestEventSeq });
      } else await client.connect(transport);
    } catch (e) {
      throw Object.assign(e as Error, { frames: inbound });
    }
    const w = client.session!;
    return {
      features: [...client.features],
      agents: w.agents,
      sessionId: w.sessionId,
      inbound,
      wireProblems: () => [...protocolErrors],
      submit: async (agent, input, opts = {}) => ourJob(await client.submit({ agent, input, ...(opts.lease ? { leaseRequest: opts.lease } : {}) })),
      cancel: (job) => client.job(job.jobId).cancel('interop cancel'),
      list: async () => (await client.listJobs()).jobs.map((j) => ({ job_id: j.jobId, status: j.status, agent: j.agent })),
      subscribe: async (jobId) => ourJob((await client.subscribe(jobId, { history: true })).handle),
      ack: async () => {
        await client.ack();
        return client.latestEventSeq;
      },
      close: async () => {
        await client.close('interop close');
        return { sessionErrors };
      },
      drop: () => transport.close('interop drop'),
      resume: (o = {}) => open(token, { from: client, ...o }),
      adopt: (jobId) => ourJob(client.job(jobId)),
    };
  };
  return { multiSession, resumeForms: ['hello', 'session.resume'], open: (token) => open(token) };
}

// ---------- the TS reference client ----------

export function tsClientEndpoint(connect: () => Promise<any>, multiSession: boolean): Endpoint {
  const open = async (token = 'demo', resume?: { from: any; fromSeq?: number }): Promise<Session> => {
    const ts = await loadTsClient();
    const inbound: any[] = [];
    const sessionErrors: any[] = [];
    const byJob = new Map<string, Ev[]>();
    const terminals = new Map<string, { resolve: (o: Outcome) => void; promise: Promise<Outcome> }>();
    const terminalOf = (jobId: string) => {
      let t = terminals.get(jobId);
      if (!t) {
        let resolve!: (o: Outcome) => void;
        const promise = new Promise<Outcome>((r) => (resolve = r));
        t = { resolve, promise };
        terminals.set(jobId, t);
      }
      return t;
    };
    const eventsOf = (jobId: string): Ev[] => {
      let list = byJob.get(jobId);
      if (!list) byJob.set(jobId, (list = []));
      return list;
    };
    // A spawned `arcp serve --stdio` boots through tsx: on a loaded 2-core box that exceeds the
    // TS client's 5 s default, which is the machine, not the protocol.
    const client = new ts.ARCPClient({ client: { name: 'ts-reference', version: '0bf5caf' }, authScheme: 'bearer', token, handshakeTimeoutMs: 60_000 });
    client.on('job.event', (env: any) => eventsOf(env.job_id).push({ seq: env.event_seq, kind: env.payload?.kind, body: env.payload?.body }));
    client.on('job.result', (env: any) => terminalOf(env.job_id).resolve({ ok: true, result: env.payload?.result ?? env.payload?.output }));
    client.on('job.error', (env: any) => terminalOf(env.job_id).resolve(errorOutcome(env.payload)));
    client.on('session.error', (env: any) => sessionErrors.push(env.payload ?? env));
    const transport = await connect();
    const onFrame = transport.onFrame.bind(transport);
    transport.onFrame = (h: (f: any) => unknown) => onFrame((f: any) => (inbound.push(f), h(f)));
    try {
      if (resume) {
        const prev = resume.from;
        await client.resume(transport, { session_id: prev.state.id, resume_token: prev.welcomePayload?.resume_token, last_event_seq: resume.fromSeq ?? prev.lastEventSeqObserved });
      } else await client.connect(transport);
    } catch (e) {
      throw Object.assign(e as Error, { frames: inbound });
    }
    const agentsRaw = client.welcomePayload?.capabilities?.agents ?? [];
    const jobOf = (jobId: string, handle?: any): Job => ({
      jobId,
      events: eventsOf(jobId),
      budget: handle?.budget,
      done: async () => {
        if (!handle) return terminalOf(jobId).promise;
        try {
          const r = await handle.done;
          const p = r?.payload ?? r ?? {};
          if (p.result_id) return { ok: true, result: bytesOut(await handle.collectChunks()), resultId: p.result_id };
          return { ok: true, result: p.result ?? p.output };
        } catch (e) {
          return errorOutcome(e);
        }
      },
    });
    return {
      features: [...client.negotiatedFeatures],
      agents: agentsRaw.map((a: any) => (typeof a === 'string' ? { name: a, versions: [] } : a)),
      sessionId: client.state.id,
      inbound,
      wireProblems: () =>
        inbound.flatMap((f) => {
          const v = validateMessage('strict', f);
          return v.ok ? [] : [`${f?.type} not strict: ${JSON.stringify(v.issues.slice(0, 2))}`];
        }),
      submit: async (agent, input, opts = {}) => {
        const h = await client.submit({ agent, input, ...(opts.lease ? { lease: opts.lease } : {}) });
        return jobOf(h.jobId, h);
      },
      cancel: (job) => client.cancelJob(job.jobId, { reason: 'interop cancel' }),
      list: async () => (await client.listJobs(undefined, {})).jobs,
      subscribe: async (jobId) => {
        await client.subscribe(jobId, { history: true });
        return jobOf(jobId);
      },
      ack: async () => {
        const seq = client.lastEventSeqObserved;
        await client.ack(seq);
        return seq;
      },
      close: async () => {
        await client.close('interop close');
        return { sessionErrors };
      },
      drop: async () => {
        await transport.close('interop drop');
      },
      resume: (o = {}) => open(token, { from: client, ...(o.fromSeq !== undefined ? { fromSeq: o.fromSeq } : {}) }),
      adopt: (jobId) => jobOf(jobId),
    };
  };
  return { multiSession, resumeForms: ['hello'], open: (token) => open(token) };
}

/** The TS client's stdio transport to a child speaking NDJSON. */
export async function tsStdioTo(child: ChildProcess): Promise<any> {
  return (await loadTsClient()).StdioTransport.fromChild(child);
}
