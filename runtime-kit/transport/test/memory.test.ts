import { describe, expect, it } from 'vitest';
import { isKitError } from '../../errors/kit-error.js';
import { createMemoryTransportPair } from '../memory.js';
import { collect } from './collector.js';

describe('memory transport pair', () => {
  it('delivers frames in order, both directions', async () => {
    const [a, b] = createMemoryTransportPair();
    const ra = collect(a);
    const rb = collect(b);
    for (let i = 0; i < 500; i++) a.send(`{"n":${i}}`);
    b.send('{"from":"b"}');
    const got = await rb.frameCount(500);
    expect(got.map((f) => JSON.parse(f).n)).toEqual([...Array(500).keys()]);
    expect(await ra.frameCount(1)).toEqual(['{"from":"b"}']);
    expect(a.kind).toBe('memory');
  });

  it('delivers asynchronously, never inside send(), and reports what is still queued', async () => {
    const [a, b] = createMemoryTransportPair();
    const rb = collect(b);
    a.send('{}');
    a.send('{"x":1}');
    expect(rb.frames).toEqual([]);
    expect(a.bufferedAmount).toBe(9);
    expect(b.bufferedAmount).toBe(0);
    await rb.frameCount(2);
    expect(a.bufferedAmount).toBe(0);
  });

  it('queues frames sent before start() and delivers them after', async () => {
    const [a, b] = createMemoryTransportPair();
    a.send('{"i":1}');
    a.send('{"i":2}');
    await new Promise((r) => setImmediate(r));
    const rb = collect(b);
    expect(await rb.frameCount(2)).toEqual(['{"i":1}', '{"i":2}']);
  });

  it('a close that happens before start() is delivered after the queued frames', async () => {
    const [a, b] = createMemoryTransportPair();
    collect(a);
    a.send('{"before":"close"}');
    await a.close('early');
    const rb = collect(b);
    expect((await rb.closed).reason).toBe('early');
    expect(rb.frames).toEqual(['{"before":"close"}']);
  });

  it('close propagates to the peer after frames already sent', async () => {
    const [a, b] = createMemoryTransportPair();
    const ra = collect(a);
    const rb = collect(b);
    a.send('{"last":true}');
    await a.close('done');
    expect(a.isOpen).toBe(false);
    expect(b.isOpen).toBe(false);
    const info = await rb.closed;
    expect(info.reason).toBe('done');
    expect(rb.frames).toEqual(['{"last":true}']);
    expect((await ra.closed).reason).toBe('done');
  });

  it('send after close throws ARCP_KIT_TRANSPORT_CLOSED on both sides', async () => {
    const [a, b] = createMemoryTransportPair();
    collect(a);
    collect(b);
    await b.close();
    for (const t of [a, b]) {
      let caught: unknown;
      try {
        t.send('{}');
      } catch (err) {
        caught = err;
      }
      expect(isKitError(caught, 'ARCP_KIT_TRANSPORT_CLOSED')).toBe(true);
    }
  });

  it('start() twice throws ARCP_KIT_ALREADY_STARTED', () => {
    const [a] = createMemoryTransportPair();
    collect(a);
    expect(() => a.start({ message() {}, close() {}, error() {} })).toThrowError(
      expect.objectContaining({ code: 'ARCP_KIT_ALREADY_STARTED' }),
    );
  });

  it('delivers close exactly once even when both sides close', async () => {
    const [a, b] = createMemoryTransportPair();
    let closes = 0;
    a.start({ message() {}, error() {}, close: () => closes++ });
    collect(b);
    await Promise.all([a.close('x'), b.close('y'), a.close('z')]);
    await new Promise((r) => setImmediate(r));
    expect(closes).toBe(1);
  });
});
