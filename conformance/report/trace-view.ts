// A failure's trace as rows for the HTML report, with the offending frame marked. A check names
// the frame when it can (Violation evidence -> Verdict.offending); otherwise the mark is read
// from the evidence: the peer frame the harness flagged as schema-invalid, else the last peer
// frame of a type (and error code) the failure message names (or the event_seq it names), else
// the last frame the peer sent.
import type { TraceFrame, Verdict } from '../checks/types.js';
import { formatTrace } from '../driver/recorder.js';

export interface TraceRow {
  readonly n: number;
  readonly dir: TraceFrame['dir'];
  readonly line: string;
  readonly offending: boolean;
}

function frameFacts(text: string): { type?: string; code?: string; seq?: number } {
  try {
    const m = JSON.parse(text) as { type?: unknown; event_seq?: unknown; payload?: { code?: unknown } };
    return {
      type: typeof m?.type === 'string' ? m.type : undefined,
      code: typeof m?.payload?.code === 'string' ? m.payload.code : undefined,
      seq: typeof m?.event_seq === 'number' ? m.event_seq : undefined,
    };
  } catch {
    return {};
  }
}

/** Index of the offending frame in `trace`, or -1 when the peer sent nothing. */
export function offendingFrame(trace: readonly TraceFrame[], message: string | undefined): number {
  const flagged = trace.findIndex((f) => f.dir === 'note' && f.text.startsWith('INVALID PEER FRAME'));
  if (flagged > 0) {
    for (let i = flagged - 1; i >= 0; i--) if (trace[i].dir === 'recv' && trace[i].conn === trace[flagged].conn) return i;
  }
  const msg = message ?? '';
  // a sequencing failure names the seq it saw ("event_seq jumps from 4 to 6"): that frame
  const seqClause = /event_seq[^;:]*/.exec(msg)?.[0].match(/\d+/g);
  if (seqClause?.length) {
    const seq = Number(seqClause[seqClause.length - 1]);
    const i = trace.findIndex((f) => f.dir === 'recv' && frameFacts(f.text).seq === seq);
    if (i >= 0) return i;
  }
  const types = new Set(msg.match(/\b(?:session|job)\.[a-z_]+\b/g) ?? []);
  const codes = new Set(msg.match(/\b[A-Z][A-Z_]{4,}\b/g) ?? []);
  let byType = -1;
  let lastRecv = -1;
  for (let i = trace.length - 1; i >= 0; i--) {
    if (trace[i].dir !== 'recv') continue;
    if (lastRecv < 0) lastRecv = i;
    const { type, code } = frameFacts(trace[i].text);
    if (type && types.has(type)) {
      if (code && codes.has(code)) return i;
      if (byType < 0) byType = i;
    }
  }
  return byType >= 0 ? byType : lastRecv;
}

/** How the mark was found: named by the check, an unanswered request, or inferred from the message. */
export type MarkSource = 'check' | 'unanswered' | 'inferred';

/** The offending row of a verdict's trace (-1: none) and how it was found. */
export function markOf(v: Pick<Verdict, 'trace' | 'message' | 'offending'>): { index: number; source: MarkSource } {
  const trace = v.trace ?? [];
  const named = v.offending?.index;
  if (named !== undefined && named >= 0 && named < trace.length) return { index: named, source: v.offending?.unanswered ? 'unanswered' : 'check' };
  return { index: offendingFrame(trace, v.message), source: 'inferred' };
}

/** The rows to show: everything up to `max` frames, else head and tail, always with the mark. */
export function traceRows(trace: readonly TraceFrame[], message: string | undefined, max = 300, mark = offendingFrame(trace, message)): { rows: TraceRow[]; elided: number } {
  const all = trace.map((f, i): TraceRow => ({ n: i + 1, dir: f.dir, line: formatTrace([f]), offending: i === mark }));
  if (all.length <= max) return { rows: all, elided: 0 };
  const keep = new Set<number>();
  for (let i = 0; i < max / 2; i++) keep.add(i);
  for (let i = all.length - max / 2; i < all.length; i++) keep.add(i);
  for (let i = Math.max(0, mark - 5); i <= Math.min(all.length - 1, mark + 5); i++) if (mark >= 0) keep.add(i);
  const rows = all.filter((_, i) => keep.has(i));
  return { rows, elided: all.length - rows.length };
}
