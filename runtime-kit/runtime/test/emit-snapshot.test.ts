// The copy a queued emit keeps (limits/emit-snapshot.ts) must encode exactly as the original
// did at emit time, whatever the agent does to the original afterwards, and fail where
// JSON.stringify fails.
import { describe, expect, it } from 'vitest';
import { snapshot } from '../limits/emit-snapshot.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('emit snapshot', () => {
  it('plain data: encodes as the original did, and later changes to the original do not reach it', () => {
    const original = { kind: 'log', ts: '2026-12-03T00:00:00.000Z', body: { level: 'info', message: 'm', attributes: { i: 1, tags: ['a', { deep: [1, null, true] }] } } };
    const before = JSON.stringify(original);
    const s = snapshot(original);
    original.body.attributes.i = 2;
    (original.body.attributes.tags[1] as { deep: unknown[] }).deep.push('later');
    original.body.attributes.tags.push('later');
    expect(JSON.stringify(s.value)).toBe(before);
  });

  it('values JSON leaves out or turns into null encode the same (undefined, NaN, Infinity, functions, holes)', () => {
    const original = { a: undefined, b: Number.NaN, c: Number.POSITIVE_INFINITY, f: () => 1, arr: [undefined, Number.NaN, () => 2, , 3] }; // eslint-disable-line no-sparse-arrays
    expect(JSON.stringify(snapshot(original).value)).toBe(JSON.stringify(original));
  });

  it('what is not plain data goes through JSON: a Date, a class instance, toJSON, a __proto__ key', () => {
    const date = new Date(0);
    const withToJSON = { toJSON: () => ({ replaced: true }) };
    const protoKey = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as unknown;
    for (const original of [{ date }, { p: new Point(1, 2) }, { w: withToJSON }, protoKey]) {
      const before = JSON.stringify(original);
      const s = snapshot(original);
      expect(JSON.stringify(s.value)).toBe(before);
    }
    const s = snapshot({ date });
    date.setTime(1_000_000);
    expect(JSON.stringify(s.value)).toBe('{"date":"1970-01-01T00:00:00.000Z"}');
  });

  it('throws where JSON.stringify throws: a cycle, a bigint', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => snapshot(cyclic)).toThrow(TypeError);
    expect(() => snapshot({ n: 1n })).toThrow(TypeError);
  });

  it('estimates the JSON length closely enough for the pending-output caps', () => {
    const samples = [
      { kind: 'log', ts: '2026-12-03T00:00:00.000Z', body: { level: 'info', message: 'x'.repeat(50), attributes: { i: 12345 } } },
      { kind: 'metric', ts: '2026-12-03T00:00:00.000Z', body: { name: 'tokens', value: 1.5, unit: 'count' } },
      { list: Array.from({ length: 1000 }, (_, i) => ({ i, s: 'abc' })) },
      { text: 'y'.repeat(100_000) },
    ];
    for (const original of samples) {
      const actual = JSON.stringify(original).length;
      const { chars } = snapshot(original);
      expect(chars).toBeGreaterThanOrEqual(actual * 0.5);
      expect(chars).toBeLessThanOrEqual(actual * 2);
    }
  });
});
