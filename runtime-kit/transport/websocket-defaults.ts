// Where `listen()` and `arcp serve` bind by default; a leaf module so the CLI can show the
// defaults in --help without loading the WebSocket stack.
export const DEFAULT_WS_PORT = 7777;
export const DEFAULT_WS_PATH = '/arcp';
export const DEFAULT_WS_HOST = '127.0.0.1';
