// Independent oracle for §8.3 sequencing and §7.3 terminals, fed with the messages one session
// receives in arrival order (across reconnects). It never looks at runtime-kit's seq logic.
import { field, replyTo, type Envelope } from '../driver/wire.js';

/** Types that MUST carry event_seq (§8.1, catalog §7). */
export const SEQUENCED: ReadonlySet<string> = new Set(['job.event', 'job.result', 'job.error']);
/** Types that may carry it (Go stamps job.cancelled, catalog §9 #3); if present it is in the space. */
const OPTIONALLY_SEQUENCED: ReadonlySet<string> = new Set(['job.cancelled']);
const TERMINAL: ReadonlySet<string> = new Set(['job.result', 'job.error']);

export class SeqOracle {
  /** Highest event_seq observed (or the resume point). */
  last: number | undefined;
  readonly violations: string[] = [];
  /** The frame of the first violation, for the report's mark (none for a missing terminal). */
  firstOffender: Envelope | undefined;
  /** job_id -> seq of its terminal. */
  readonly terminals = new Map<string, number>();
  /** Every sequenced message by seq (for exact-replay comparison). */
  readonly bySeq = new Map<number, Envelope>();

  constructor(start?: number) {
    this.last = start;
  }

  private fail(msg: string, frame?: Envelope): void {
    if (this.violations.length === 0) this.firstOffender = frame;
    if (this.violations.length < 20) this.violations.push(msg);
  }

  /** Feeds one inbound message. */
  observe(m: Envelope): void {
    const seq = m.event_seq;
    const has = seq !== undefined && seq !== null;
    if (m.type.startsWith('session.')) {
      // §6.4/§6.5: heartbeats and acks (and every session control message) are outside the seq space.
      if (has) this.fail(`${m.type} carries event_seq ${String(seq)}; session messages are outside the seq space`, m);
      return;
    }
    if (SEQUENCED.has(m.type) && !has) {
      this.fail(`${m.type} for ${String(m.job_id)} carries no event_seq`, m);
      return;
    }
    if (!has) return;
    if (!SEQUENCED.has(m.type) && !OPTIONALLY_SEQUENCED.has(m.type)) return;
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) {
      this.fail(`${m.type} has event_seq ${JSON.stringify(seq)}, not a non-negative integer`, m);
      return;
    }
    if (this.last !== undefined) {
      if (seq <= this.last) this.fail(`event_seq ${seq} after ${this.last}: not strictly monotonic`, m);
      else if (seq !== this.last + 1) this.fail(`event_seq jumps from ${this.last} to ${seq}: gap of ${seq - this.last - 1}`, m);
    }
    this.last = this.last === undefined ? seq : Math.max(this.last, seq);
    this.bySeq.set(seq, m);
    // a job.error answering a harness request (a refused cancel of a finished job) is a rejection,
    // not a second terminal of that job (catalog §4.4, §10 #18)
    if (replyTo(m) !== undefined && m.type === 'job.error') return;
    const jobId = typeof m.job_id === 'string' ? m.job_id : undefined;
    if (!jobId || !SEQUENCED.has(m.type)) return;
    const term = this.terminals.get(jobId);
    if (term !== undefined) {
      this.fail(`${m.type} (seq ${seq}) for ${jobId} after its terminal (seq ${term})`, m);
      return;
    }
    if (TERMINAL.has(m.type)) this.terminals.set(jobId, seq);
  }

  /** Feeds many. */
  observeAll(ms: readonly Envelope[]): this {
    for (const m of ms) this.observe(m);
    return this;
  }

  /** Requires a terminal for every listed job. */
  requireTerminals(jobIds: readonly string[]): void {
    for (const j of jobIds) if (!this.terminals.has(j)) this.fail(`job ${j} has no terminal job.result/job.error`);
  }
}

/** Compares a replayed envelope with the original one seen before the drop (§6.3 exact replay). */
export function sameEvent(a: Envelope, b: Envelope): string | undefined {
  if (a.type !== b.type) return `type ${b.type} != ${a.type}`;
  if (a.job_id !== b.job_id) return `job_id ${String(b.job_id)} != ${String(a.job_id)}`;
  if (JSON.stringify(a.payload) !== JSON.stringify(b.payload)) return 'payload differs';
  return undefined;
}

/** Convenience: the terminal of a job among messages, if any. */
export function terminalOf(ms: readonly Envelope[], jobId: string): Envelope | undefined {
  return ms.find((m) => TERMINAL.has(m.type) && m.job_id === jobId);
}

/** The error code of a session.error / job.error / tool_result error. */
export function errorCode(m: Envelope | undefined): string | undefined {
  const c = field(m, 'payload', 'code') ?? field(m, 'payload', 'body', 'error', 'code');
  return typeof c === 'string' ? c : undefined;
}
