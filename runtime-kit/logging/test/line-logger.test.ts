// createLogger: level threshold, JSON and text lines, error values made readable, and a record
// that cannot be serialised degrading instead of throwing into the runtime.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../index.js';

function capture(opts: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const log = createLogger({ now: () => Date.UTC(2026, 0, 2, 3, 4, 5), write: (l) => lines.push(l), ...opts });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line, dropping records below the level', () => {
    const { log, lines } = capture({ level: 'info', base: { service: 'svc' } });
    log('debug', 'hidden', { a: 1 });
    log('info', 'job started', { event: 'job.started', job_id: 'job_1' });
    log('error', 'boom', { error: new TypeError('bad thing') });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({ ts: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'job started', service: 'svc', event: 'job.started', job_id: 'job_1' });
    expect(JSON.parse(lines[1]!).error).toEqual({ name: 'TypeError', message: 'bad thing' });
  });

  it('text format: level, message, key=value with quoting', () => {
    const { log, lines } = capture({ format: 'text', level: 'debug' });
    log('warn', 'session detached', { session_id: 'sess_1', reason: 'heartbeat lost' });
    expect(lines[0]).toBe('2026-01-02T03:04:05.000Z WARN  session detached session_id=sess_1 reason="heartbeat lost"\n');
  });

  it('never throws for a cyclic record, and record fields cannot overwrite ts/level/msg', () => {
    const { log, lines } = capture();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => log('error', 'cycle', { cyclic })).not.toThrow();
    expect(JSON.parse(lines[0]!)).toHaveProperty('unserialisable');
    log('info', 'real', { level: 'fake', msg: 'fake' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'info', msg: 'real' });
  });
});
