// A tiny WebSocket front for a cluster in tests: each incoming connection is piped, frame for
// frame, to one of the upstream nodes picked at random (so consecutive connections of one
// client, e.g. a drop and its resume, usually land on different nodes).
import WebSocket, { WebSocketServer } from 'ws';

export interface WsProxy {
  url: string;
  /** Upstream index chosen per connection, in order. */
  readonly picks: number[];
  close(): Promise<void>;
}

function closeCode(code: number): number {
  return code === 1005 || code === 1006 || code < 1000 || code > 4999 ? 1000 : code;
}

export async function startWsProxy(upstreams: readonly string[], pick: () => number = () => Math.floor(Math.random() * upstreams.length)): Promise<WsProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => server.once('listening', r));
  const picks: number[] = [];
  const sockets = new Set<WebSocket>();
  server.on('connection', (down) => {
    const i = pick();
    picks.push(i);
    const up = new WebSocket(upstreams[i]!, { perMessageDeflate: false });
    sockets.add(down).add(up);
    const early: string[] = [];
    down.on('message', (d) => (up.readyState === WebSocket.OPEN ? up.send(String(d)) : early.push(String(d))));
    up.on('open', () => {
      for (const f of early.splice(0)) up.send(f);
    });
    up.on('message', (d) => down.readyState === WebSocket.OPEN && down.send(String(d)));
    up.on('close', (code, reason) => down.readyState === WebSocket.OPEN && down.close(closeCode(code), reason));
    down.on('close', (code, reason) => (up.readyState === WebSocket.OPEN ? up.close(closeCode(code), reason) : up.terminate()));
    up.on('error', () => down.terminate());
    down.on('error', () => up.terminate());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/arcp`,
    picks,
    close: async () => {
      for (const s of sockets) s.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
