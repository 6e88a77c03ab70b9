// transport/: moves JSON text frames; knows nothing of ARCP (style.md item 9).
export type { CloseInfo, Transport, TransportHandlers } from './types.js';
export { DEFAULT_MAX_FRAME_BYTES } from './types.js';
export { createMemoryTransportPair } from './memory.js';
export { connectWebSocket, type ConnectWebSocketOptions } from './websocket-client.js';
export {
  WebSocketServerTransport,
  DEFAULT_WS_HOST,
  DEFAULT_WS_PATH,
  DEFAULT_WS_PORT,
  type AttachOptions,
  type ConnectionCallback,
  type ConnectionInfo,
  type ListenOptions,
  type UpgradeServer,
} from './websocket-server.js';
export { WebSocketTransport, type WebSocketFrameOptions } from './websocket-transport.js';
export {
  serveStdioTransport,
  spawnStdioTransport,
  StdioChildTransport,
  StdioServeTransport,
  type ServeStdioOptions,
  type SpawnStdioOptions,
  type StderrMode,
} from './stdio.js';
export { LineSplitter } from './line-splitter.js';
export type { ClientAddressOptions, TrustProxy } from './client-address.js';
