// The check scheduler: results come back in declared order whatever order they finish in, `first`
// items start at once without taking a slot, `alone` items run one by one overlapping no other
// (but a `first` one), and the rest run at most `limit` at a time.
import { describe, expect, it } from 'vitest';
import { runOrdered } from '../runner/schedule.js';

interface Item {
  name: string;
  alone?: boolean;
  first?: boolean;
}

/** Runs items that each finish when the test releases them; records who ran alongside whom. */
function harness() {
  const release = new Map<string, () => void>();
  const started: string[] = [];
  const running = new Set<string>();
  const overlaps: string[][] = [];
  const run = (item: Item): Promise<string> => {
    started.push(item.name);
    running.add(item.name);
    overlaps.push([...running]);
    return new Promise((resolve) =>
      release.set(item.name, () => {
        running.delete(item.name);
        resolve(`r:${item.name}`);
      }),
    );
  };
  return { release, started, overlaps, run };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('runOrdered', () => {
  it('reports in declared order; first items start at once, alone items by themselves, the rest bounded', async () => {
    const items: Item[] = [{ name: 'a' }, { name: 'b' }, { name: 'c', alone: true }, { name: 'd' }, { name: 'e', first: true }, { name: 'f' }, { name: 'g' }];
    const h = harness();
    const done: string[] = [];
    const all = runOrdered(items, 2, { alone: (i) => i.alone === true, first: (i) => i.first === true }, h.run, (item, r) => done.push(`${item.name}=${r}`));
    await tick();
    expect(h.started).toEqual(['e', 'c']);
    h.release.get('c')!();
    await tick();
    expect(h.started).toEqual(['e', 'c', 'a', 'b']);
    // finish out of order: b (2nd) before a (1st); nothing is reported before a
    h.release.get('b')!();
    await tick();
    expect(done).toEqual([]);
    expect(h.started).toEqual(['e', 'c', 'a', 'b', 'd']);
    h.release.get('a')!();
    await tick();
    expect(done).toEqual(['a=r:a', 'b=r:b', 'c=r:c']);
    for (const n of ['d', 'e', 'f', 'g']) {
      await tick();
      h.release.get(n)?.();
    }
    await tick();
    h.release.get('f')?.();
    h.release.get('g')?.();
    await all;
    expect(done).toEqual(['a=r:a', 'b=r:b', 'c=r:c', 'd=r:d', 'e=r:e', 'f=r:f', 'g=r:g']);
    // never more than 2 slot-holders at once (e takes no slot); c overlapped nothing but e
    for (const o of h.overlaps) expect(o.filter((x) => x !== 'e').length).toBeLessThanOrEqual(2);
    for (const o of h.overlaps) if (o.includes('c')) expect(o.filter((x) => x !== 'e')).toEqual(['c']);
  });

  it('last items start only once every other item (first ones included) has ended, one at a time', async () => {
    const items: (Item & { last?: boolean })[] = [{ name: 'z', last: true }, { name: 'a' }, { name: 'e', first: true }, { name: 'y', last: true }, { name: 'c', alone: true }];
    const h = harness();
    const done: string[] = [];
    const all = runOrdered(items, 2, { alone: (i) => i.alone === true, first: (i) => i.first === true, last: (i) => i.last === true }, h.run, (item) => done.push(item.name));
    for (const n of ['c', 'a', 'e']) {
      await tick();
      expect(h.started).not.toContain('z');
      h.release.get(n)!();
    }
    await tick();
    await tick();
    expect(h.started.slice(-1)).toEqual(['z']);
    h.release.get('z')!();
    await tick();
    await tick();
    h.release.get('y')!();
    await all;
    expect(done).toEqual(['z', 'a', 'e', 'y', 'c']);
    for (const o of h.overlaps) if (o.includes('z') || o.includes('y')) expect(o.length).toBe(1);
  });

  it('limit 1 runs everything one at a time, in declared order', async () => {
    const items: Item[] = [{ name: 'a' }, { name: 'b', first: true }, { name: 'c', alone: true }];
    const h = harness();
    const all = runOrdered(items, 1, { alone: (i) => i.alone === true, first: (i) => i.first === true }, h.run, () => undefined);
    for (let k = 0; k < 3; k++) {
      await tick();
      const last = h.started[h.started.length - 1];
      h.release.get(last)!();
    }
    await all;
    for (const o of h.overlaps) expect(o.length).toBe(1);
  });
});
