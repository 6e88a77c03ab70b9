// The raw driver against a scripted fake peer: invalid peer frames are recorded as peer failures,
// frames the harness builds wrongly are harness errors (never sent), `expect` consumes in order
// and times out with a Violation, pings are answered, and the seq oracle flags gaps and repeats.
import { describe, expect, it } from 'vitest';
import { HarnessError, Violation } from '../checks/outcomes.js';
import { PeerConnection, type WireTransport } from '../driver/connection.js';
import { Recorder } from '../driver/recorder.js';
import { envelope } from '../driver/wire.js';
import { SeqOracle } from '../model/seq-oracle.js';

class FakePeer implements WireTransport {
  readonly sent: string[] = [];
  private handlers?: Parameters<WireTransport['start']>[0];
  isOpen = true;
  start(h: Parameters<WireTransport['start']>[0]): void {
    this.handlers = h;
  }
  send(frame: string): void {
    this.sent.push(frame);
  }
  async close(): Promise<void> {
    this.isOpen = false;
    this.handlers?.close({ code: 1000 });
  }
  deliver(frame: unknown): void {
    this.handlers?.message(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
}

const SID = 'sess_01JDXK5V6R8Q2W3E4T5Y6Z7A8B';
const JOB = 'job_01JDXK5V6R8Q2W3E4T5Y6Z7A8C';

function event(seq: number, type = 'job.event') {
  const payload = type === 'job.event' ? { kind: 'log', ts: '2026-11-25T00:00:00.000Z', body: { level: 'info', message: `m${seq}` } } : { final_status: 'success', result: {} };
  return { ...envelope(type, payload, { session_id: SID, job_id: JOB }), event_seq: seq };
}

describe('PeerConnection', () => {
  it('records invalid peer frames as peer problems', () => {
    const peer = new FakePeer();
    const rec = new Recorder();
    new PeerConnection('A1', peer, rec, { timeoutMs: 50 });
    peer.deliver('{not json');
    peer.deliver({ arcp: '1.1', id: 'x', type: 'job.event', session_id: SID, payload: { kind: 'log' } });
    peer.deliver(event(1));
    peer.deliver(envelope('x-vendor.acme.note', { anything: true }, { session_id: SID }));
    expect(rec.peerProblems.length).toBe(2);
    expect(rec.peerProblems[0]).toContain('not a JSON object');
  });

  it('refuses to send a strict-invalid harness frame unless raw', () => {
    const peer = new FakePeer();
    const conn = new PeerConnection('A1', peer, new Recorder(), { timeoutMs: 50 });
    const bad = envelope('job.submit', { agent: 42, input: {} }, { session_id: SID });
    expect(() => conn.send(bad)).toThrow(HarnessError);
    expect(peer.sent).toHaveLength(0);
    conn.send(bad, { raw: true });
    expect(peer.sent).toHaveLength(1);
  });

  it('expect consumes matching frames in order and times out with a Violation', async () => {
    const peer = new FakePeer();
    const conn = new PeerConnection('A1', peer, new Recorder(), { timeoutMs: 30 });
    peer.deliver(event(1));
    peer.deliver(event(2));
    expect((await conn.expectType('job.event')).event_seq).toBe(1);
    expect((await conn.expectType('job.event')).event_seq).toBe(2);
    await expect(conn.expectType('job.event')).rejects.toBeInstanceOf(Violation);
    const later = conn.expectType('job.result');
    peer.deliver(event(3, 'job.result'));
    expect((await later).event_seq).toBe(3);
  });

  it('answers pings with the nonce', () => {
    const peer = new FakePeer();
    const conn = new PeerConnection('A1', peer, new Recorder(), { timeoutMs: 30 });
    conn.sessionId = SID;
    peer.deliver(envelope('session.ping', { nonce: 'p_1', sent_at: '2026-11-25T00:00:00.000Z' }, { session_id: SID }));
    expect(JSON.parse(peer.sent[0]).payload.ping_nonce).toBe('p_1');
  });
});

describe('SeqOracle', () => {
  it('accepts a gap-free stream with one terminal', () => {
    const o = new SeqOracle().observeAll([event(1), event(2), event(3, 'job.result')]);
    o.requireTerminals([JOB]);
    expect(o.violations).toEqual([]);
  });
  it('flags gaps, repeats, frames after a terminal, seq on session messages and missing terminals', () => {
    expect(new SeqOracle().observeAll([event(1), event(3)]).violations[0]).toMatch(/gap/);
    expect(new SeqOracle().observeAll([event(1), event(1)]).violations[0]).toMatch(/monotonic/);
    expect(new SeqOracle().observeAll([event(1, 'job.result'), event(2)]).violations[0]).toMatch(/after its terminal/);
    const pong = { ...envelope('session.pong', { ping_nonce: 'p', received_at: 'x' }, { session_id: SID }), event_seq: 2 };
    expect(new SeqOracle().observeAll([event(1), pong]).violations[0]).toMatch(/outside the seq space/);
    const o = new SeqOracle().observeAll([event(1)]);
    o.requireTerminals([JOB]);
    expect(o.violations[0]).toMatch(/no terminal/);
  });
});
