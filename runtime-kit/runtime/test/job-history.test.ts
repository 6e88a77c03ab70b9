// The subscription history's bounds (job-history.ts): newest events per job, bytes per job,
// bytes across jobs (oldest jobs first), forget.
import { describe, expect, it } from 'vitest';
import { MemoryJobHistory } from '../subscriptions/job-history.js';

const ev = (seq: number, data = '') => ({ seq, type: 'job.event' as const, traceId: undefined, payload: { kind: 'result_chunk', body: { data } } });

describe('MemoryJobHistory', () => {
  it('keeps the newest maxEventsPerJob entries, in order, and filters by owner seq', () => {
    const h = new MemoryJobHistory({ maxEventsPerJob: 3000 });
    for (let s = 1; s <= 5000; s++) h.record('j', ev(s));
    const all = h.after('j', 0).map((e) => e.seq);
    expect(all.length).toBe(3000);
    expect(all[0]).toBe(2001);
    expect(all.at(-1)).toBe(5000);
    expect(h.after('j', 4990).map((e) => e.seq)).toEqual([4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000]);
  });

  it('bounds bytes per job and across jobs, evicting the oldest job first', () => {
    const big = 'x'.repeat(10_000);
    const h = new MemoryJobHistory({ maxBytesPerJob: 50_000, maxBytesTotal: 120_000 });
    for (let s = 1; s <= 20; s++) h.record('a', ev(s, big));
    expect(h.after('a', 0).length).toBeLessThanOrEqual(5);
    for (let s = 21; s <= 40; s++) h.record('b', ev(s, big));
    for (let s = 41; s <= 60; s++) h.record('c', ev(s, big));
    expect(h.bytes).toBeLessThanOrEqual(120_000);
    expect(h.after('a', 0)).toEqual([]);
    expect(h.after('c', 0).at(-1)?.seq).toBe(60);
    h.forget('c');
    expect(h.after('c', 0)).toEqual([]);
  });
});
