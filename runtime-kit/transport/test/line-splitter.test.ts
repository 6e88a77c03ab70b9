import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../line-splitter.js';

function run(max: number, chunks: Array<string | Buffer>, end = true): { lines: string[]; oversized: number[] } {
  const lines: string[] = [];
  const oversized: number[] = [];
  const s = new LineSplitter(max, { line: (t) => lines.push(t), oversized: (n) => oversized.push(n) });
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  if (end) s.end();
  return { lines, oversized };
}

describe('LineSplitter', () => {
  it('joins partial lines across chunks', () => {
    expect(run(100, ['{"a"', ':1}\n{"b":', '2}\n']).lines).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('ignores blank and whitespace-only lines and strips CR', () => {
    expect(run(100, ['\n\n  \r\n{"a":1}\r\n\t\n']).lines).toEqual(['{"a":1}']);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const bytes = Buffer.from('{"s":"é€"}\n');
    expect(run(100, [bytes.subarray(0, 7), bytes.subarray(7)]).lines).toEqual(['{"s":"é€"}']);
  });

  it('reports and drops an oversized line, then continues', () => {
    const r = run(10, ['{"x":"0123456789"}\n{"ok":1}\n']);
    expect(r.oversized).toEqual([18]);
    expect(r.lines).toEqual(['{"ok":1}']);
  });

  it('reports an oversized line that arrives in many chunks once, with its full size', () => {
    const r = run(10, ['aaaaaa', 'aaaaaa', 'aaaaaa', 'aa\n', '{}\n']);
    expect(r.oversized).toEqual([20]);
    expect(r.lines).toEqual(['{}']);
  });

  it('accepts a line of exactly the cap (plus CR)', () => {
    expect(run(10, ['0123456789\r\n']).lines).toEqual(['0123456789']);
  });

  it('delivers a final line without newline at end of stream only', () => {
    expect(run(100, ['{"a":1}'], false).lines).toEqual([]);
    expect(run(100, ['{"a":1}'], true).lines).toEqual(['{"a":1}']);
  });
});
