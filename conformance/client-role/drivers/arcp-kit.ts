// The client driver for arcp-kit's own client, in-process: the same contract a --client-cmd
// driver speaks (docs/client-driver.md), implemented by calling runtime-kit/client directly.
// `hooks` let test code wrap the transport or patch a client instance (fault injection lives in
// conformance/test/client-faults, never in runtime-kit).
import { ARCPClient } from '../../../runtime-kit/client/index.js';
import { isARCPError, isKitError } from '../../../runtime-kit/errors/index.js';
import { connectWebSocket, spawnStdioTransport } from '../../../runtime-kit/transport/index.js';
import type { Endpoint } from '../driver-protocol.js';
import type { Transport } from '../../../runtime-kit/transport/types.js';
import type { DriverLink } from '../client-under-test.js';
import type { ErrorReport, Instruction, Outbound } from '../driver-protocol.js';

export interface ArcpKitDriverHooks {
  /** Wraps every transport the client gets (first connect, reconnects, manual resumes). */
  wrapTransport?: (t: Transport) => Transport;
  /** Patches the client instance right after construction. */
  patchClient?: (client: ARCPClient) => void;
}

type JobHandle = Awaited<ReturnType<ARCPClient['submit']>>;

export function errorReport(err: unknown): ErrorReport {
  if (isARCPError(err)) return { code: err.code, retryable: err.retryable, message: err.message };
  if (isKitError(err)) return { code: err.code, message: err.message, local: true };
  return { code: 'DRIVER_ERROR', message: err instanceof Error ? err.message : String(err), local: true };
}

export class ArcpKitDriver {
  private client: ARCPClient | undefined;
  private readonly watched = new Set<JobHandle>();
  /** Jobs whose last report was a local failure: re-watched after a resume. */
  private readonly interrupted = new Set<string>();
  private readonly known = new Set<string>();

  constructor(
    private readonly emit: (m: Outbound) => void,
    private readonly hooks: ArcpKitDriverHooks = {},
  ) {}

  async handle(ins: Instruction): Promise<void> {
    try {
      const out = await this.run(ins);
      this.emit({ re: ins.id, ok: true, ...out });
    } catch (err) {
      this.emit({ re: ins.id, ok: false, error: errorReport(err) });
    }
  }

  private transport(at: Endpoint): () => Promise<Transport> {
    return async () => {
      const t = at.transport === 'stdio' ? spawnStdioTransport('sh', ['-c', at.command], { stderr: 'ignore' }) : await connectWebSocket(at.url);
      return this.hooks.wrapTransport ? this.hooks.wrapTransport(t) : t;
    };
  }

  private need(): ARCPClient {
    if (!this.client) throw new Error('connect first');
    return this.client;
  }

  private async run(ins: Instruction): Promise<Record<string, unknown>> {
    switch (ins.op) {
      case 'connect': {
        const client = new ARCPClient({
          client: { name: 'arcp-kit', version: '0.1.0' },
          token: ins.token,
          ...(ins.features ? { features: ins.features } : {}),
          autoAck: ins.auto_ack ? { everyN: 32, intervalMs: 250 } : false,
          autoResume: ins.auto_resume ? { reconnect: this.transport(ins), attempts: 3, backoffMs: 50 } : false,
        });
        this.hooks.patchClient?.(client);
        this.client = client;
        client.on('event', (ev) => {
          this.emit({ obs: 'event', job_id: ev.jobId, seq: ev.seq, kind: ev.kind, body: ev.body });
          if (!this.known.has(ev.jobId)) this.watch(client.job(ev.jobId));
        });
        client.on('gap', (g) => this.emit({ obs: 'gap', expected: g.expected, got: g.got }));
        client.on('sessionError', (e) => this.emit({ obs: 'session_error', ...errorReport(e) }));
        client.on('disconnected', (d) => this.emit({ obs: 'disconnected', ...(d.reason ? { reason: d.reason } : {}) }));
        client.on('resumed', (w) => {
          this.emit({ obs: 'resumed', session_id: w.sessionId });
          this.rewatch();
        });
        client.on('protocolError', (e) => this.emit({ obs: 'protocol_error', message: e.message }));
        const info = await client.connect(await this.transport(ins)());
        return { session_id: info.sessionId, features: info.features, auto_resume: !!ins.auto_resume };
      }
      case 'submit': {
        const h = await this.need().submit({
          agent: ins.agent,
          input: ins.input,
          ...(ins.lease_request ? { leaseRequest: ins.lease_request } : {}),
          ...(ins.lease_constraints ? { leaseConstraints: ins.lease_constraints } : {}),
          ...(ins.idempotency_key !== undefined ? { idempotencyKey: ins.idempotency_key } : {}),
          ...(ins.max_runtime_sec !== undefined ? { maxRuntimeSec: ins.max_runtime_sec } : {}),
        });
        this.watch(h);
        return { job_id: h.jobId, ...(h.budget ? { budget: h.budget } : {}), lease: h.lease };
      }
      case 'cancel':
        await this.need().job(ins.job_id).cancel(ins.reason);
        return {};
      case 'list': {
        const page = await this.need().listJobs({
          ...(ins.filter ? { filter: ins.filter as never } : {}),
          ...(ins.limit !== undefined ? { limit: ins.limit } : {}),
          ...(ins.cursor !== undefined ? { cursor: ins.cursor } : {}),
        });
        return {
          jobs: page.jobs.map((j) => ({ job_id: j.jobId, agent: j.agent, status: j.status, last_event_seq: j.lastEventSeq })),
          next_cursor: page.nextCursor,
        };
      }
      case 'subscribe': {
        const r = await this.need().subscribe(ins.job_id, {
          ...(ins.history !== undefined ? { history: ins.history } : {}),
          ...(ins.from_event_seq !== undefined ? { fromEventSeq: ins.from_event_seq } : {}),
        });
        this.watch(r.handle);
        return { job_id: r.jobId, subscribed_from: r.subscribedFrom, replayed: r.replayed };
      }
      case 'unsubscribe':
        await this.need().unsubscribe(ins.job_id);
        return {};
      case 'ack':
        await this.need().ack(ins.seq);
        return {};
      case 'resume': {
        const c = this.need();
        const sessionId = c.sessionId;
        const resumeToken = c.resumeToken;
        if (!sessionId || !resumeToken) throw new Error('no session to resume');
        const info = await c.resume(await this.transport(ins)(), { sessionId, resumeToken, lastEventSeq: c.latestEventSeq });
        return { session_id: info.sessionId };
      }
      case 'state': {
        const c = this.need();
        return { latest_event_seq: c.latestEventSeq, session_id: c.sessionId ?? null, resume_token: c.resumeToken ?? null };
      }
      case 'close':
        await this.need().close(ins.reason);
        return {};
      default:
        throw new Error(`unknown op ${(ins as { op: string }).op}`);
    }
  }

  private watch(h: JobHandle): void {
    if (this.watched.has(h)) return;
    this.watched.add(h);
    this.known.add(h.jobId);
    this.interrupted.delete(h.jobId);
    h.done.then(
      (r) => {
        const out: Outbound = { obs: 'result', job_id: h.jobId, ...(r.resultId ? { result_id: r.resultId } : {}) };
        if (r.result instanceof Uint8Array) out.result_base64 = Buffer.from(r.result).toString('base64');
        else if (r.result !== undefined) out.result = r.result;
        this.emit(out);
      },
      (err) => {
        const rep = errorReport(err);
        if (rep.local) this.interrupted.add(h.jobId);
        this.emit({ obs: 'job_error', job_id: h.jobId, ...(h.finalStatus ? { final_status: h.finalStatus } : {}), ...rep });
      },
    );
  }

  private rewatch(): void {
    const c = this.client;
    if (!c) return;
    for (const id of [...this.interrupted]) {
      const h = c.job(id);
      if (!this.watched.has(h)) this.watch(h);
    }
  }

  async dispose(): Promise<void> {
    await this.client?.close('driver disposed').catch(() => undefined);
  }
}

/** The in-process DriverLink for arcp-kit's client. */
export function arcpKitDriverLink(hooks: ArcpKitDriverHooks = {}): DriverLink {
  let out: (m: Outbound) => void = () => undefined;
  const driver = new ArcpKitDriver((m) => queueMicrotask(() => out(m)), hooks);
  return {
    describe: 'arcp-kit client (in-process)',
    send: (ins) => void driver.handle(ins),
    onOutput: (fn) => {
      out = fn;
    },
    onFailure: () => undefined,
    dispose: () => driver.dispose(),
  };
}
