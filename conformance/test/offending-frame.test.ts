// A check names the frame that breaks the rule (Violation evidence), and every report marks that
// row rather than one inferred from the message: checked end to end on real faults, and on the
// pieces (recorder positions, unanswered requests, text and HTML marks).
import { afterAll, describe, expect, it } from 'vitest';
import { Violation } from '../checks/outcomes.js';
import type { Verdict } from '../checks/types.js';
import { formatTrace, Recorder } from '../driver/recorder.js';
import { runConformance } from '../index.js';
import { buildHtml } from '../report/html.js';
import { markOf } from '../report/trace-view.js';
import { judgeThrown } from '../runner/judge-thrown.js';
import { failureBlock } from '../runner/display.js';
import { disposeMutants, faultyTarget } from './fault-scratch.js';

afterAll(disposeMutants);

const parsed = (v: Verdict, i: number) => JSON.parse(v.trace![i].text) as { type: string; event_seq?: number; payload?: { code?: string } };

describe('the check names the offending frame', () => {
  it('a wrong terminal code: the mark is the job.error the check read', async () => {
    const r = await runConformance({ peer: await faultyTarget('max-runtime-wrong-code'), only: '7.1/max-runtime/timeout', seed: 3, runs: 1, output: 'silent' });
    const v = r.verdicts[0];
    expect(v.outcome).toBe('fail');
    expect(v.offending).toBeDefined();
    expect(v.offending!.unanswered).toBeUndefined();
    const frame = parsed(v, v.offending!.index);
    expect(v.trace![v.offending!.index].dir).toBe('recv');
    expect(frame.type).toBe('job.error');
    expect(frame.payload?.code).toBe('INTERNAL_ERROR');
    expect(markOf(v).source).toBe('check');
    const html = buildHtml(r);
    expect(html).toContain('the frame the check found in breach is marked');
    expect(html).not.toContain('offending frame (inferred)');
    expect(failureBlock(v, 400)).toMatch(/job\.error[^\n]*INTERNAL_ERROR[^\n]*<== offending$/m);
  });

  it('a sequencing gap: the mark is the first frame the sequence oracle rejected', async () => {
    const r = await runConformance({ peer: await faultyTarget('seq-skip'), only: '8.3/seq/gap-free-concurrent', seed: 3, runs: 1, output: 'silent' });
    const v = r.verdicts[0];
    expect(v.outcome).toBe('fail');
    const gap = /event_seq jumps from (\d+) to (\d+)/.exec(v.message ?? '');
    expect(gap, v.message).not.toBeNull();
    expect(v.offending).toBeDefined();
    expect(parsed(v, v.offending!.index).event_seq).toBe(Number(gap![2]));
  });
});

describe('the pieces', () => {
  it('the recorder knows the row of each parsed frame it recorded, until reset', () => {
    const rec = new Recorder();
    const a = { type: 'x' };
    const b = { type: 'y' };
    rec.sent('A1', '{"type":"x"}', a);
    rec.note('A1', 'waiting');
    rec.received('A1', '{"type":"y"}', b);
    expect([rec.indexOf(a), rec.indexOf(b), rec.indexOf({ type: 'y' })]).toEqual([0, 2, -1]);
    rec.reset();
    expect(rec.indexOf(b)).toBe(-1);
  });

  it('a request the peer never answered is marked as such, and a frame the trace lacks marks nothing', () => {
    const rec = new Recorder();
    const req = { type: 'session.list_jobs' };
    rec.received('A1', '{"type":"session.welcome"}', {});
    rec.sent('A1', '{"type":"session.list_jobs"}', req);
    expect(judgeThrown(new Violation('no reply', { unanswered: req }), 'MUST', rec, 'peer').offending).toEqual({ index: 1, unanswered: true });
    expect(judgeThrown(new Violation('x', { frame: {} }), 'MUST', rec, 'peer').offending).toBeUndefined();
    expect(judgeThrown(new Violation('x', { frame: req }), 'SHOULD', rec, 'peer')).toMatchObject({ outcome: 'warn', offending: { index: 1 } });
  });

  it('a named mark wins over the inferred one, and survives elision in text', () => {
    const trace = Array.from({ length: 500 }, (_, i) => ({ t: i, dir: 'recv' as const, conn: 'A1', text: JSON.stringify({ type: 'job.event', event_seq: i + 1 }) }));
    const v = { trace, message: 'event_seq jumps from 499 to 500', offending: { index: 250 } };
    expect(markOf(v)).toEqual({ index: 250, source: 'check' });
    expect(markOf({ ...v, offending: undefined })).toEqual({ index: 499, source: 'inferred' });
    const text = formatTrace(trace, 40, 250);
    expect(text.split('\n').filter((l) => l.includes('<== offending'))).toEqual([expect.stringContaining('"event_seq":251')]);
    expect(text.split('\n').length).toBeLessThan(60);
  });
});
