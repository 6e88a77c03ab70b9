// The offending frame of a failure's trace is read from the evidence (report.html marks it).
import { describe, expect, it } from 'vitest';
import type { TraceFrame } from '../checks/types.js';
import { offendingFrame, traceRows } from '../report/trace-view.js';

const f = (dir: TraceFrame['dir'], text: string, conn = 'A1'): TraceFrame => ({ t: 0, dir, conn, text });
const recv = (o: Record<string, unknown>) => f('recv', JSON.stringify({ arcp: '1.1', ...o }));

describe('offendingFrame', () => {
  const trace = [
    f('send', '{"type":"job.submit"}'),
    recv({ type: 'job.accepted' }),
    recv({ type: 'job.event', event_seq: 4 }),
    recv({ type: 'job.event', event_seq: 6 }),
    recv({ type: 'job.error', payload: { code: 'PERMISSION_DENIED' } }),
    recv({ type: 'job.error', payload: { code: 'INTERNAL_ERROR' } }),
    recv({ type: 'session.pong' }),
  ];
  it('the frame of the event_seq a sequencing failure names', () => {
    expect(offendingFrame(trace, 'event_seq jumps from 4 to 6: gap of 1')).toBe(3);
  });
  it('the last peer frame of the type and error code the message names', () => {
    expect(offendingFrame(trace, 'cancel answered by job.error PERMISSION_DENIED')).toBe(4);
    expect(offendingFrame(trace, 'expected a terminal, got job.accepted')).toBe(1);
  });
  it('the frame the harness flagged as schema-invalid', () => {
    const t = [...trace.slice(0, 3), f('note', 'INVALID PEER FRAME: /payload: must be object'), ...trace.slice(3)];
    expect(offendingFrame(t, 'peer sent frames that fail the lenient schema')).toBe(2);
  });
  it('else the peer\'s last frame; -1 when the peer sent nothing', () => {
    expect(offendingFrame(trace, 'timed out')).toBe(6);
    expect(offendingFrame([f('send', '{}'), f('note', 'waiting')], 'timed out')).toBe(-1);
  });
  it('a long trace is elided around head and tail but keeps the marked frame', () => {
    const long = Array.from({ length: 1000 }, (_, i) => recv({ type: 'job.event', event_seq: i + 1 }));
    const { rows, elided } = traceRows(long, 'event_seq jumps from 499 to 501', 100);
    expect(elided).toBeGreaterThan(800);
    expect(rows.filter((r) => r.offending).map((r) => r.n)).toEqual([501]);
  });
});
