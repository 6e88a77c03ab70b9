/**
 * A hostile ARCP runtime for client attack tests: a raw `ws` server on loopback that welcomes
 * every hello (fresh or resuming) and then does whatever the test scripts on each connection.
 * Independent of the kit's runtime and transports, as a malicious server would be.
 */
import { WebSocketServer, type WebSocket } from 'ws';

export type Frame = Record<string, any>;

export interface HostileConnection {
  readonly socket: WebSocket;
  /** 1 for the first connection, 2 for the next, ... */
  readonly index: number;
  send(type: string, payload: unknown, env?: Frame): void;
}

export interface HostileRuntime {
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Resolves once `n` connections have been accepted. */
  connectionsReach(n: number): Promise<void>;
  close(): Promise<void>;
}

export const HOSTILE_SESSION = 'sess_01HOSTILE0000000000000000000';
let counter = 0;
const msgId = (): string => `msg_${String(++counter).padStart(26, '0')}`;

/** `afterWelcome` runs on each connection right after its welcome went out; `welcome` adds or overrides welcome payload fields. */
export async function startHostileRuntime(afterWelcome: (c: HostileConnection, hello: Frame) => void, welcome: Frame = {}): Promise<HostileRuntime> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  let connections = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  wss.on('connection', (socket) => {
    const c: HostileConnection = {
      socket,
      index: ++connections,
      send: (type, payload, env = {}) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ arcp: '1.1', id: msgId(), type, session_id: HOSTILE_SESSION, ...env, payload }));
      },
    };
    for (const w of waiters.filter((x) => connections >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      const f = JSON.parse(String(data)) as Frame;
      if (f.type === 'session.ping') c.send('session.pong', { ping_nonce: f.payload.nonce, received_at: new Date().toISOString() });
      if (f.type !== 'session.hello' && f.type !== 'session.resume') return;
      c.send('session.welcome', {
        runtime: { name: 'hostile', version: '1' },
        resume_token: `rt_hostile_${c.index}`,
        resume_window_sec: 600,
        capabilities: { encodings: ['json'], features: ['ack', 'subscribe', 'list_jobs'] },
        ...welcome,
      });
      afterWelcome(c, f);
    });
  });
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/arcp`,
    get connections() {
      return connections;
    },
    connectionsReach: (n) => (connections >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: async () => {
      for (const s of wss.clients) s.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
