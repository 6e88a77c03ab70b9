// Records every frame of one check, with direction, connection and time, so a failure can be
// printed as the exact exchange (style.md item 13). Also collects peer frames that fail the
// lenient schema: each is a peer failure even when the check's own assertion held.
import type { TraceFrame } from '../checks/types.js';

export class Recorder {
  private readonly t0 = performance.now();
  private frames: TraceFrame[] = [];
  // parsed frame object -> its index in `frames`, so a Violation's evidence names a trace row
  private positions = new WeakMap<object, number>();
  readonly peerProblems: string[] = [];

  private push(dir: TraceFrame['dir'], conn: string, text: string, parsed?: object): void {
    if (parsed) this.positions.set(parsed, this.frames.length);
    this.frames.push({ t: Math.round(performance.now() - this.t0), dir, conn, text });
  }

  /** `parsed` is the object the text was made from, when there is one. */
  sent(conn: string, text: string, parsed?: object): void {
    this.push('send', conn, text, parsed);
  }

  /** `parsed` is the object the driver hands to checks for this frame. */
  received(conn: string, text: string, parsed?: object): void {
    // a huge echo would bloat reports: keep the head, say how long it was
    this.push('recv', conn, text.length > 4000 ? `${text.slice(0, 4000)}... (${text.length} chars)` : text, parsed);
  }

  /** Index in `trace()` of the frame `parsed` was recorded with, or -1 (not recorded, or reset since). */
  indexOf(parsed: object): number {
    return this.positions.get(parsed) ?? -1;
  }

  /** A harness-side remark in the trace (drops, reconnects, waits): the "nemesis" events. */
  note(conn: string, text: string): void {
    this.push('note', conn, text);
  }

  peerProblem(conn: string, text: string): void {
    this.peerProblems.push(`${conn}: ${text}`);
    this.note(conn, `INVALID PEER FRAME: ${text}`);
  }

  /** Forgets everything (a property starts each case with a clean trace). */
  reset(): void {
    this.frames = [];
    this.positions = new WeakMap();
    this.peerProblems.length = 0;
  }

  trace(): readonly TraceFrame[] {
    return this.frames;
  }
}

/** `job.event#4 log` style tag of a frame, so seqs and kinds read at a glance. */
function frameTag(text: string): string {
  try {
    const m = JSON.parse(text) as { type?: unknown; event_seq?: unknown; payload?: { kind?: unknown; code?: unknown } };
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return '';
    const seq = m.event_seq !== undefined ? `#${String(m.event_seq)}` : '';
    const extra = typeof m.payload?.kind === 'string' ? ` ${m.payload.kind}` : typeof m.payload?.code === 'string' ? ` ${m.payload.code}` : '';
    return `${m.type}${seq}${extra}`.padEnd(28);
  } catch {
    return '(not JSON)'.padEnd(28);
  }
}

/**
 * Renders a trace as text lines: `+12ms A1 <- job.event#4 log {...}`. Row `mark` (the offending
 * frame) is tagged `<== label` and survives elision.
 */
export function formatTrace(trace: readonly TraceFrame[], maxLines = 200, mark = -1, label = 'offending'): string {
  const arrow = { send: '->', recv: '<-', note: '..' } as const;
  const lines = trace.map((f, i) => `+${String(f.t).padStart(5)}ms ${f.conn.padEnd(3)} ${arrow[f.dir]} ${f.dir === 'note' ? f.text : `${frameTag(f.text)} ${f.text}`}${i === mark ? `  <== ${label}` : ''}`);
  if (lines.length <= maxLines) return lines.join('\n');
  const half = Math.floor(maxLines / 2);
  const keep = new Set<number>();
  for (let i = 0; i < half; i++) keep.add(i);
  for (let i = lines.length - half; i < lines.length; i++) keep.add(i);
  if (mark >= 0) for (let i = Math.max(0, mark - 2); i <= Math.min(lines.length - 1, mark + 2); i++) keep.add(i);
  const out: string[] = [];
  let skipped = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!keep.has(i)) {
      skipped += 1;
      continue;
    }
    if (skipped) out.push(`... ${skipped} frames elided ...`);
    skipped = 0;
    out.push(lines[i]);
  }
  return out.join('\n');
}
