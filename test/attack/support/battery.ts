// The standing attack battery (issue 13 item 8): independent raw WebSocket clients attack one
// runtime URL on loopback. Each scenario is bounded in count and time, and reports what it saw;
// test/attack/battery.attack.test.ts runs a small version in CI, bench/attack.bench.ts the full
// one against a runtime in its own process (crashes, RSS). A witness session streams throughout:
// every one of its events must arrive, gap-free (lost events).
import fc from 'fast-check';
import { createConnection } from 'node:net';
import { invalidMessageArb, validMessageArb } from '../../../conformance/arbitraries/messages.js';
import { MESSAGE_TYPES } from '../../../generated/registry.js';
import { RawWs, type Frame } from './raw-ws.js';

export interface BatterySizes {
  /** Schema-derived valid and invalid frames, plus raw garbage, over established sessions. */
  hostileFrames: number;
  /** Frames one connection fires without waiting (pings and submits mixed). */
  floodFrames: number;
  /** Sockets that never send hello (half WebSocket, half raw TCP). */
  stalledHandshakes: number;
  /** Wrong bearer tokens tried from one source. */
  bruteForceAttempts: number;
  /** Nesting levels of the delegation submit. */
  delegationLevels: number;
  /** Events the witness session streams while the attacks run. */
  witnessEvents: number;
  /** Streaming sessions of the fairness phase, and events each. */
  fairnessSessions: number;
  fairnessEvents: number;
  /** Pings measured during the fairness phase. */
  pings: number;
  /** How long a stalled socket may stay open (the target's handshake timeout plus slack). */
  stalledDeadlineMs: number;
  seed: number;
}

export interface PingStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface BatteryReport {
  framesSent: number;
  /** Attack connections that were neither closed by the runtime nor answered a ping in time. */
  stuckConnections: number;
  stalledStillOpen: number;
  bruteForceAccepted: number;
  bruteForceRateLimited: boolean;
  delegationJobs: number;
  witness: { expected: number; received: number; gapFree: boolean };
  /** Events of the fairness sessions that did not arrive. */
  lostEvents: number;
  pingMs: PingStats;
  /** The same pings with nothing streaming, measured just before (baseline of the same run). */
  idlePingMs: PingStats;
  /** Could a fresh client still get a welcome at the end (the target is up and serving)? */
  aliveAtEnd: boolean;
}

const TOKEN = 't-alice';
const OTHER = 't-bob';

/** Runs every scenario against `url`; `hooks.between` runs after each phase (RSS sampling). */
export async function runBattery(url: string, sizes: BatterySizes, hooks: { between?: (phase: string) => void | Promise<void> } = {}): Promise<BatteryReport> {
  const open: RawWs[] = [];
  const connect = async (): Promise<RawWs> => {
    const p = await RawWs.open(url);
    open.push(p);
    return p;
  };
  const phase = async (name: string): Promise<void> => void (await hooks.between?.(name));
  try {
    const witness = await startWitness(connect, sizes.witnessEvents);
    const framesSent = await hostileFrames(connect, sizes);
    await phase('hostile-frames');
    const flooded = await flood(await connect(), sizes.floodFrames);
    await phase('flood');
    const stalledStillOpen = await stalledHandshakes(url, sizes.stalledHandshakes, sizes.stalledDeadlineMs);
    await phase('stalled-handshakes');
    const brute = await bruteForce(url, sizes.bruteForceAttempts);
    await sleep(1500); // let this source's failed-auth bucket refill a little: the next phases log in
    await phase('brute-force');
    const delegationJobs = await deepDelegation(await connect(), sizes.delegationLevels);
    await phase('deep-delegation');
    const witnessResult = await witness.done;
    const fair = await fairness(connect, sizes);
    await phase('fairness');
    const stuckConnections = (await countStuck(open)) + (flooded ? 0 : 1);
    const aliveAtEnd = await welcomes(url);
    return {
      framesSent: framesSent + sizes.floodFrames,
      stuckConnections,
      stalledStillOpen,
      bruteForceAccepted: brute.accepted,
      bruteForceRateLimited: brute.rateLimited,
      delegationJobs,
      witness: witnessResult,
      lostEvents: fair.lost,
      pingMs: fair.ping,
      idlePingMs: fair.idle,
      aliveAtEnd,
    };
  } finally {
    for (const p of open) p.terminate();
  }
}

/** A session streaming `count` events from the start, followed to its end (followToEnd). */
async function startWitness(connect: () => Promise<RawWs>, count: number): Promise<{ done: Promise<BatteryReport['witness']> }> {
  const peer = await connect();
  const w = await peer.welcome(TOKEN);
  const sessionId = w.payload.session_id as string;
  peer.send('job.submit', { agent: 'attack.flood', input: { count, size: 200, batch: 50, pause_ms: 5 } }, { session_id: sessionId });
  const done = followToEnd(connect, peer, TOKEN, sessionId, w.payload.resume_token as string).then(
    ({ seqs, logs }) => ({ expected: count, received: logs, gapFree: seqs.every((s, i) => s === i + 1) }),
    () => ({ expected: count, received: 0, gapFree: false }),
  );
  return { done };
}

/**
 * Reads a session's stream until its job ends. If the runtime cuts the reader off (4508 for a
 * reader that fell behind, by design, on a loaded machine), it resumes from the last seq it saw,
 * as a client should: a lost event is one no connection of the session ever received.
 */
async function followToEnd(connect: () => Promise<RawWs>, first: RawWs, token: string, sessionId: string, resumeToken: string): Promise<{ seqs: number[]; logs: number }> {
  let peer = first;
  const seqs: number[] = [];
  let logs = 0;
  for (let attempt = 0; attempt < 20; attempt++) {
    const end = await peer.find((f) => f.type === 'job.result' || f.type === 'job.error', 300_000).catch(() => undefined);
    for (const f of peer.received) {
      if (typeof f.event_seq !== 'number' || (seqs.length > 0 && f.event_seq <= seqs.at(-1)!)) continue;
      seqs.push(f.event_seq);
      if (f.type === 'job.event' && f.payload?.kind === 'log') logs++;
    }
    if (end) break;
    peer = await connect();
    const id = peer.hello(token, { resume: { session_id: sessionId, resume_token: resumeToken, last_event_seq: seqs.at(-1) ?? 0 } });
    const reply = await peer.find((f) => f.type === 'session.welcome' || (f.type === 'session.error' && f.payload?.request_id === id), 30_000);
    if (reply.type !== 'session.welcome') {
      // The brute-force phase emptied this source's failed-auth bucket: a real client waits as told.
      const retryAfter = reply.payload?.details?.retry_after_ms;
      if (typeof retryAfter !== 'number') break;
      await sleep(retryAfter + 50);
      continue;
    }
    resumeToken = reply.payload.resume_token as string;
  }
  return { seqs, logs };
}

/** Garbage no schema describes: not JSON, wrong shapes, huge arrays, deep nesting, bad UTF-16. */
function rawGarbage(sessionId: string): string[] {
  const env = (type: string, payload: unknown): string => JSON.stringify({ arcp: '1.1', id: `msg_g${Math.random().toString(36).slice(2)}`, type, session_id: sessionId, payload });
  return [
    '',
    'not json',
    '{',
    '[]',
    'null',
    '"session.ping"',
    '{"arcp":"1.1"}',
    `{"arcp":"1.1","id":"x","type":"session.ping","session_id":"${sessionId}","payload":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    env('job.submit', { agent: 'conformance.echo', input: new Array(60_000).fill(0) }),
    env('session.list_jobs', { filter: { status: new Array(20_000).fill('running') } }),
    env('job.cancel', { reason: '\ud800'.repeat(1000) }),
    env('session.welcome', { resume_token: 'x' }),
    env('job.event', { kind: 'log', body: {} }),
    env('session.hello', { auth: { scheme: 'bearer', token: TOKEN } }),
    env('x.unknown.type', {}),
    JSON.stringify({ arcp: '9.9', id: 'msg_x', type: 'session.ping', payload: {} }),
    env('job.submit', { agent: 'conformance.echo', input: 'y'.repeat(900_000) }),
  ];
}

/** Schema-derived frames (valid and one-edit-invalid, every client type) and raw garbage. */
async function hostileFrames(connect: () => Promise<RawWs>, sizes: BatterySizes): Promise<number> {
  let peer = await connect();
  const w = await peer.welcome(OTHER);
  const sid = w.payload.session_id as string;
  const count = Math.max(0, sizes.hostileFrames - 17);
  const invalid = fc.sample(invalidMessageArb(sid), { numRuns: Math.ceil(count / 2), seed: sizes.seed });
  const types = MESSAGE_TYPES.filter((t) => !['session.close', 'session.bye', 'session.hello', 'session.resume'].includes(t));
  const valid: unknown[] = [];
  for (const [k, type] of types.entries()) {
    try {
      valid.push(...fc.sample(validMessageArb(type, sid), { numRuns: Math.max(1, Math.floor(count / 2 / types.length)), seed: sizes.seed + k }));
    } catch {
      // a type whose schema the arbitrary cannot satisfy within its budget: covered by the invalid set
    }
  }
  let sent = 0;
  const frames = [...invalid.map((c) => JSON.stringify(c.frame)), ...valid.map((v) => JSON.stringify(v)), ...rawGarbage(sid)];
  for (const [i, text] of frames.entries()) {
    if (!peer.open) {
      // The runtime closed it (a fatal frame): go on from a new session; old session_ids stay in the frames.
      peer = await connect();
      await peer.welcome(OTHER);
    }
    peer.sendText(text);
    sent++;
    if (i % 50 === 49) await new Promise((r) => setImmediate(r));
  }
  // Pre-handshake: a few of them on fresh connections before any hello.
  for (const text of frames.slice(0, 5)) {
    const fresh = await connect();
    fresh.sendText(text);
    sent++;
  }
  return sent;
}

/** One connection fires `n` frames at once; true if it still gets answers afterwards (or was closed with a code). */
async function flood(peer: RawWs, n: number): Promise<boolean> {
  const w = await peer.welcome(TOKEN);
  const sid = w.payload.session_id as string;
  for (let i = 0; i < n; i++) {
    if (i % 10 === 0) peer.send('job.submit', { agent: 'conformance.echo', input: i }, { session_id: sid });
    else peer.send('session.ping', { nonce: `f${i}`, sent_at: new Date().toISOString() }, { session_id: sid });
  }
  try {
    peer.send('session.ping', { nonce: 'after-flood', sent_at: new Date().toISOString() }, { session_id: sid });
    await peer.find((f) => f.type === 'session.pong' && f.payload?.ping_nonce === 'after-flood', 60_000);
    return true;
  } catch {
    return !peer.open; // closed by the runtime: not stuck
  }
}

/** Sockets that never speak; returns how many are still open after the deadline. */
async function stalledHandshakes(url: string, n: number, deadlineMs: number): Promise<number> {
  const { hostname, port } = new URL(url);
  const closed: Array<Promise<boolean>> = [];
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      const p = await RawWs.open(url).catch(() => undefined);
      if (!p) continue;
      closed.push(Promise.race([p.closed.then(() => true), sleep(deadlineMs).then(() => (p.terminate(), false))]));
    } else {
      const s = createConnection({ host: hostname, port: Number(port) });
      s.on('error', () => {});
      closed.push(
        Promise.race([new Promise<boolean>((r) => s.once('close', () => r(true))), sleep(deadlineMs).then(() => (s.destroy(), false))]),
      );
    }
  }
  return (await Promise.all(closed)).filter((c) => !c).length;
}

/** Wrong tokens from one source, one connection each; then a valid one. */
async function bruteForce(url: string, attempts: number): Promise<{ accepted: number; rateLimited: boolean }> {
  let accepted = 0;
  let rateLimited = false;
  for (let i = 0; i < attempts; i++) {
    const p = await RawWs.open(url).catch(() => undefined);
    if (!p) continue;
    const id = p.hello(`t-guess-${i}`);
    const reply = await p.find((f) => f.type === 'session.welcome' || (f.type === 'session.error' && f.payload?.request_id === id), 10_000).catch(() => undefined);
    if (reply?.type === 'session.welcome') accepted++;
    if (reply?.payload?.details?.reason === 'rate_limited') rateLimited = true;
    const { code } = await p.closed;
    if (code === 4429) rateLimited = true;
  }
  return { accepted, rateLimited };
}

/** The 190 KB nested delegation of the issue; returns how many jobs it made. */
async function deepDelegation(peer: RawWs, levels: number): Promise<number> {
  const w = await peer.welcome(TOKEN);
  const all = { 'agent.delegate': ['*'] };
  let input: Record<string, unknown> = { agent: 'conformance.echo', input: 'leaf', lease_request: {} };
  for (let i = 0; i < levels; i++) input = { agent: 'conformance.delegator', input, lease_request: all };
  const id = peer.send('job.submit', { agent: 'conformance.delegator', input, lease_request: all }, { session_id: w.payload.session_id });
  const accepted = await peer.find((f) => (f.type === 'job.accepted' || f.type === 'job.error') && f.payload?.request_id === id, 30_000);
  if (accepted.type !== 'job.accepted') return 0;
  await peer.find((f) => (f.type === 'job.result' || f.type === 'job.error') && f.job_id === accepted.job_id, 120_000);
  return peer.received.filter((f) => f.type === 'job.accepted').length;
}

/** Sessions streaming awaited events while another client pings every 10 ms; ping RTTs and lost events. */
async function fairness(connect: () => Promise<RawWs>, sizes: BatterySizes): Promise<{ lost: number; ping: PingStats; idle: PingStats }> {
  const streams: Array<{ peer: RawWs; sid: string; token: string; resumeToken: string }> = [];
  for (let i = 0; i < sizes.fairnessSessions; i++) {
    const peer = await connect();
    const token = i % 2 ? OTHER : TOKEN;
    const w = await peer.welcome(token);
    streams.push({ peer, sid: w.payload.session_id as string, token, resumeToken: w.payload.resume_token as string });
  }
  const pinger = await connect();
  const pw = await pinger.welcome(OTHER);
  const idle = await pingRtts(pinger, pw.payload.session_id as string, sizes.pings, 'idle');
  for (const s of streams) s.peer.send('job.submit', { agent: 'attack.await-stream', input: { count: sizes.fairnessEvents } }, { session_id: s.sid });
  await Promise.all(streams.map((s) => s.peer.find((f) => f.type === 'job.event' && f.payload?.kind === 'log', 60_000)));
  const ping = await pingRtts(pinger, pw.payload.session_id as string, sizes.pings, 'load');
  let lost = 0;
  for (const s of streams) {
    const { logs } = await followToEnd(connect, s.peer, s.token, s.sid, s.resumeToken);
    lost += sizes.fairnessEvents - logs;
  }
  return { lost, ping, idle };
}

/** `n` pings 10 ms apart, one at a time; round-trip times in ms. */
export async function pingRtts(pinger: RawWs, sessionId: string, n: number, tag: string): Promise<PingStats> {
  const rtts: number[] = [];
  for (let i = 0; i < n; i++) {
    const nonce = `${tag}${i}`;
    const t0 = performance.now();
    pinger.send('session.ping', { nonce, sent_at: new Date().toISOString() }, { session_id: sessionId });
    await pinger.find((f) => f.type === 'session.pong' && f.payload?.ping_nonce === nonce, 120_000);
    rtts.push(performance.now() - t0);
    await sleep(10);
  }
  rtts.sort((a, b) => a - b);
  const at = (q: number): number => Number((rtts[Math.min(rtts.length - 1, Math.floor(q * rtts.length))] ?? NaN).toFixed(2));
  return { count: rtts.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** Attack connections still open must answer a ping; those that do not are stuck. */
async function countStuck(peers: RawWs[]): Promise<number> {
  let stuck = 0;
  for (const p of peers) {
    if (!p.open) continue;
    const welcome = p.received.find((f: Frame) => f.type === 'session.welcome');
    if (!welcome) {
      // Never finished a handshake: the runtime must have closed it by now (handshake timeout).
      const closed = await Promise.race([p.closed.then(() => true), sleep(15_000).then(() => false)]);
      if (!closed) stuck++;
      continue;
    }
    const nonce = `stuck-${Math.random()}`;
    p.send('session.ping', { nonce, sent_at: new Date().toISOString() }, { session_id: welcome.payload.session_id });
    const ok = await p.find((f) => f.type === 'session.pong' && f.payload?.ping_nonce === nonce, 10_000).then(
      () => true,
      () => !p.open,
    );
    if (!ok) stuck++;
  }
  return stuck;
}

async function welcomes(url: string): Promise<boolean> {
  try {
    const p = await RawWs.open(url);
    try {
      await p.welcome(TOKEN);
      return true;
    } finally {
      p.terminate();
    }
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
