import { describe, expect, it } from 'vitest';
import { RequestCorrelator } from '../correlation.js';

describe('RequestCorrelator (catalog §5)', () => {
  it('matches by payload.request_id first, whatever the order', () => {
    const c = new RequestCorrelator<string>();
    c.add('msg_1', 'first', 'a'.repeat(32));
    c.add('msg_2', 'second');
    expect(c.take({ payload: { request_id: 'msg_2' }, trace_id: 'a'.repeat(32) })).toBe('second');
    expect(c.size).toBe(1);
  });

  it('a request_id that names no pending request matches nothing (no FIFO stealing)', () => {
    const c = new RequestCorrelator<string>();
    c.add('msg_1', 'first');
    expect(c.take({ payload: { request_id: 'msg_other' } })).toBeUndefined();
    expect(c.size).toBe(1);
  });

  it('then by trace_id', () => {
    const c = new RequestCorrelator<string>();
    c.add('msg_1', 'first', '1'.repeat(32));
    c.add('msg_2', 'second', '2'.repeat(32));
    expect(c.take({ trace_id: '2'.repeat(32), payload: {} })).toBe('second');
  });

  it('an unknown trace_id prefers the oldest request that had no trace id', () => {
    const c = new RequestCorrelator<string>();
    c.add('msg_1', 'traced', '1'.repeat(32));
    c.add('msg_2', 'untraced');
    expect(c.take({ trace_id: 'f'.repeat(32) })).toBe('untraced');
    expect(c.take({ trace_id: 'e'.repeat(32) })).toBe('traced');
  });

  it('falls back to FIFO without request_id or trace_id', () => {
    const c = new RequestCorrelator<number>();
    c.add('a', 1);
    c.add('b', 2);
    c.add('c', 3);
    expect([c.take({}), c.take({ payload: null }), c.take({})]).toEqual([1, 2, 3]);
    expect(c.take({})).toBeUndefined();
  });

  it('peek does not remove; remove and drain do', () => {
    const c = new RequestCorrelator<number>();
    c.add('a', 1);
    c.add('b', 2);
    expect(c.peek({})).toBe(1);
    expect(c.remove('a')).toBe(1);
    expect(c.drain()).toEqual([2]);
    expect(c.size).toBe(0);
  });
});
