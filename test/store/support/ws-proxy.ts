// A tiny WebSocket front for a cluster in tests: each incoming connection is piped, frame for
// frame, to one of the upstream nodes. The node is chosen once the client's first frame is in
// (or after a short wait for a client that sends nothing), so a router can look at it: e.g.
// send every resume (a session.hello with `resume`) to another node than the session's home.
import WebSocket, { WebSocketServer } from 'ws';

export interface WsProxy {
  url: string;
  /** Upstream index chosen per connection, in order. */
  readonly picks: number[];
  close(): Promise<void>;
}

export interface WsProxyRouter {
  /** Picks the upstream for a connection from its first frame (undefined: the client sent none yet). */
  pick(firstFrame: string | undefined): number;
  /** Every frame an upstream sent back (e.g. to learn which node welcomed which session). */
  observe?(upstream: number, frame: string): void;
}

/** How long a connection that sends nothing waits before it is routed anyway. */
const FIRST_FRAME_WAIT_MS = 100;

function closeCode(code: number): number {
  return code === 1005 || code === 1006 || code < 1000 || code > 4999 ? 1000 : code;
}

export async function startWsProxy(upstreams: readonly string[], router: WsProxyRouter = { pick: () => Math.floor(Math.random() * upstreams.length) }): Promise<WsProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((r) => server.once('listening', r));
  const picks: number[] = [];
  const sockets = new Set<WebSocket>();
  server.on('connection', (down) => {
    sockets.add(down);
    const early: string[] = [];
    let up: WebSocket | undefined;
    const route = (): void => {
      if (up || down.readyState !== WebSocket.OPEN) return;
      clearTimeout(idle);
      const i = router.pick(early[0]);
      picks.push(i);
      const socket = new WebSocket(upstreams[i]!, { perMessageDeflate: false });
      up = socket;
      sockets.add(socket);
      socket.on('open', () => {
        for (const f of early.splice(0)) socket.send(f);
      });
      socket.on('message', (d) => {
        router.observe?.(i, String(d));
        if (down.readyState === WebSocket.OPEN) down.send(String(d));
      });
      socket.on('close', (code, reason) => down.readyState === WebSocket.OPEN && down.close(closeCode(code), reason));
      socket.on('error', () => down.terminate());
    };
    const idle = setTimeout(route, FIRST_FRAME_WAIT_MS);
    down.on('message', (d) => {
      if (up?.readyState === WebSocket.OPEN) return up.send(String(d));
      early.push(String(d));
      route();
    });
    down.on('close', (code, reason) => {
      clearTimeout(idle);
      if (!up) return;
      if (up.readyState === WebSocket.OPEN) up.close(closeCode(code), reason);
      else up.terminate();
    });
    down.on('error', () => up?.terminate());
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
