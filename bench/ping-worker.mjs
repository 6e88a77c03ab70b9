// A pinger on its own event loop (a worker thread of bench/attack.bench.ts), so its round trips
// measure the runtime and not the bench's main thread, which parses every frame of the 50
// streams it reads. Plain JavaScript on `ws`: a worker does not inherit the tsx loader.
// workerData {url, token}; messages in: 'start', 'stop'; out: {ready}, {rtts}.
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, token } = workerData;
const ws = new WebSocket(url, { perMessageDeflate: false });
let n = 0;
let sessionId;
let running = false;
let waiting; // { nonce, t0 }
const rtts = [];

const send = (type, payload, extra = {}) => ws.send(JSON.stringify({ arcp: '1.1', id: `msg_png${process.pid}x${++n}`, type, ...extra, payload }));

function ping() {
  if (!running) return;
  const nonce = `w${n}`;
  waiting = { nonce, t0: performance.now() };
  send('session.ping', { nonce, sent_at: new Date().toISOString() }, { session_id: sessionId });
}

ws.on('open', () =>
  send('session.hello', {
    client: { name: 'attack-pinger', version: '0.0.0' },
    auth: { scheme: 'bearer', token },
    capabilities: { encodings: ['json'], features: ['heartbeat'] },
  }),
);
ws.on('message', (data) => {
  const f = JSON.parse(data.toString('utf8'));
  if (f.type === 'session.welcome') {
    sessionId = f.session_id;
    parentPort.postMessage({ ready: true });
  } else if (f.type === 'session.ping') {
    send('session.pong', { ping_nonce: f.payload?.nonce, received_at: new Date().toISOString() }, { session_id: sessionId });
  } else if (f.type === 'session.pong' && waiting && f.payload?.ping_nonce === waiting.nonce) {
    rtts.push(performance.now() - waiting.t0);
    waiting = undefined;
    setTimeout(ping, 10);
  }
});
ws.on('error', (err) => parentPort.postMessage({ error: String(err) }));
parentPort.on('message', (msg) => {
  if (msg === 'start') {
    running = true;
    ping();
  } else if (msg === 'stop') {
    running = false;
    parentPort.postMessage({ rtts });
    ws.terminate();
    parentPort.close();
  }
});
