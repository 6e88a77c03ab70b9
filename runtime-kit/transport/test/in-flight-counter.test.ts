// InFlightCounter (transport/in-flight-counter.ts) reads WebSocket frame headers off the raw byte
// stream; the end-to-end cases with real sockets are in test/attack/inbound-in-flight.attack.test.ts.
// Here the parse itself: headers split across reads at every byte, 7-, 16- and 64-bit lengths,
// control frames between fragments.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FRAGMENT_OVERHEAD_BYTES, InFlightCounter, type RawByteSource } from '../in-flight-counter.js';

/** A byte stream fed by the test, read by the counter as a socket would be. */
class Feed extends EventEmitter implements RawByteSource {
  pause(): void {}
  end(): void {}
}

function frame(opcode: number, fin: boolean, payloadBytes: number): Buffer {
  const ext = payloadBytes < 126 ? 0 : payloadBytes < 65536 ? 2 : 8;
  const h = Buffer.alloc(2 + ext + 4);
  h[0] = (fin ? 0x80 : 0) | opcode;
  h[1] = 0x80 | (ext === 0 ? payloadBytes : ext === 2 ? 126 : 127);
  if (ext === 2) h.writeUInt16BE(payloadBytes, 2);
  if (ext === 8) h.writeBigUInt64BE(BigInt(payloadBytes), 2);
  return Buffer.concat([h, Buffer.alloc(payloadBytes, 0x61)]);
}

describe('InFlightCounter', () => {
  // A text frame (64-bit length), a ping, a continuation (16-bit), a pong, the last continuation (7-bit).
  const parts = [frame(0x1, false, 70_000), frame(0x9, true, 125), frame(0x0, false, 300), frame(0xa, true, 0), frame(0x0, true, 5)];
  const message = 70_000 + 14 + (300 + 8 + FRAGMENT_OVERHEAD_BYTES) + (5 + 6 + FRAGMENT_OVERHEAD_BYTES);

  it('fed one byte at a time: counts the data frames (continuations charged the overhead), never the control frames, and drops to 0 at the last fragment', () => {
    const feed = new Feed();
    const counter = new InFlightCounter(feed);
    const seen: number[] = [];
    counter.watch((n) => seen.push(n));
    const bytes = Buffer.concat([...parts, frame(0x1, false, 10)]);
    for (let i = 0; i < bytes.length; i++) feed.emit('data', bytes.subarray(i, i + 1));
    const peak = Math.max(...seen);
    expect(peak).toBe(message - 1); // the read of the last byte ends the message: reported as 0
    expect(seen.lastIndexOf(0)).toBeGreaterThan(seen.indexOf(peak)); // the message ended
    expect(counter.inFlightBytes).toBe(10 + 6); // the next one, still arriving
  });

  it('fed in one read: the message completes inside it, only the start of the next one is left; the cap fires once past its max', () => {
    const feed = new Feed();
    const counter = new InFlightCounter(feed);
    let exceeded = 0;
    counter.setCap(1000, () => exceeded++);
    feed.emit('data', Buffer.concat([...parts, frame(0x1, false, 900)]));
    expect(counter.inFlightBytes).toBe(900 + 8);
    expect(exceeded).toBe(0);
    feed.emit('data', frame(0x0, false, 200));
    expect(exceeded).toBe(1);
    feed.emit('data', frame(0x0, false, 200));
    expect(exceeded).toBe(1);
  });
});
