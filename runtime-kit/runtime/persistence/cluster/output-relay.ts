// A job's output while its session lives on another node: the job's node forwards each
// sequenced envelope (`emit`) to the session's home, which numbers, stores and sends it and
// answers `sequenced` with the seq it gave, so the job's node keeps the job's last_event_seq,
// its memory history and (once ended) its record current. A former home passes on output still
// on its way to it; output for a session being claimed here waits for the claim.
import type { ClusterMessage } from '../../../store/runtime-store.js';
import type { SequencedType } from '../../job.js';
import type { ClusterContext } from './context.js';
import type { SessionHomes, Released } from './session-homes.js';

export interface Emit extends ClusterMessage {
  op: 'emit';
  session_id: string;
  type: SequencedType;
  job_id: string;
  trace_id?: string;
  payload: unknown;
  /** The node the job runs on (the answer `sequenced` goes there, even through a former home). */
  origin: string;
  /** Per-job count of forwarded output at the origin: pairs the answer with its emit. */
  fseq: number;
}

export class OutputRelay {
  /** Forwarded output awaiting its seq: job id -> fseq -> the envelope. */
  private readonly unsequenced = new Map<string, Map<number, { type: SequencedType; payload: unknown }>>();
  private readonly forwardCount = new Map<string, number>();

  constructor(
    private readonly cx: ClusterContext,
    private readonly homes: SessionHomes,
  ) {}

  /** Output of a job of another node for a session homed here (or passed on, or held for a claim). */
  deliver(emit: Emit): void {
    if (this.homes.holdWhileClaiming(emit)) return;
    const { core, store, bus, nodeId } = this.cx;
    const session = core.sessions.get(emit.session_id);
    if (!session) {
      // Handed over again meanwhile: pass it on to where the session lives now.
      const to = this.homes.releasedTo(emit.session_id);
      if (to !== undefined && to !== nodeId) return bus.send(to, { ...emit, from: nodeId });
      return this.cx.log('output for a session this node does not hold', emit.session_id);
    }
    const seq = session.emitSequenced(emit.type, emit.job_id, emit.trace_id, emit.payload);
    if (seq !== undefined) {
      store.appendJobHistory(emit.job_id, { seq, type: emit.type, ...(emit.trace_id ? { trace_id: emit.trace_id } : {}), payload: emit.payload });
    }
    bus.send(emit.origin ?? emit.from, { op: 'sequenced', from: nodeId, job_id: emit.job_id, fseq: emit.fseq, seq: seq ?? null });
  }

  /** Output of a local job whose session this node handed over: to its current home. */
  forward(entry: Released, type: SequencedType, jobId: string, traceId: string | undefined, payload: unknown): number | undefined {
    const { core, bus, nodeId } = this.cx;
    const sessionId = entry.session.id;
    if (entry.to === nodeId) {
      // The session came back: its new object here sequences it (the job keeps the old one).
      return core.sessions.get(sessionId)?.emitSequenced(type, jobId, traceId, payload);
    }
    const fseq = (this.forwardCount.get(jobId) ?? 0) + 1;
    this.forwardCount.set(jobId, fseq);
    let pending = this.unsequenced.get(jobId);
    if (!pending) this.unsequenced.set(jobId, (pending = new Map()));
    pending.set(fseq, { type, payload });
    bus.send(entry.to, { op: 'emit', from: nodeId, origin: nodeId, fseq, session_id: sessionId, type, job_id: jobId, ...(traceId !== undefined ? { trace_id: traceId } : {}), payload });
    return undefined;
  }

  /**
   * The home sequenced forwarded output of a local job: the job's last_event_seq and its
   * history here catch up (listings, subscribers on this node), and an ended job's record is
   * written again with the terminal's seq.
   */
  sequenced(jobId: string, fseq: number, seq: number | null): void {
    const pending = this.unsequenced.get(jobId);
    const out = pending?.get(fseq);
    if (!pending || !out) return;
    for (const k of pending.keys()) if (k <= fseq) pending.delete(k); // earlier ones were lost on the way
    if (pending.size === 0) this.unsequenced.delete(jobId);
    const { core, binding } = this.cx;
    const job = core.jobs.get(jobId);
    if (!job || seq === null || seq <= job.lastEventSeq) return;
    job.lastEventSeq = seq;
    binding.history.restore(jobId, [{ seq, type: out.type, traceId: job.traceId, payload: out.payload }]);
    if (job.isTerminal) {
      binding.jobEnded(job);
      if (!this.unsequenced.has(jobId)) this.forwardCount.delete(jobId);
    }
  }
}
