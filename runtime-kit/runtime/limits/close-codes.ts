// WebSocket close codes the runtime uses when a limit or an authentication failure ends a
// connection (RFC 6455 §7.4.2: 4000-4999 are for applications). The number mirrors the HTTP
// status of the same meaning; a `session.error` with the typed ARCP error goes out first.
// stdio has no close codes: there the session.error (and EOF) is all the peer gets.
export const CLOSE_CODES = Object.freeze({
  /** Normal close (bye, shutdown, a session moved to another transport). */
  NORMAL: 1000,
  /** hello/resume refused: bad bearer token, unknown/expired session, wrong resume token, other principal. */
  AUTH_FAILED: 4401,
  /** Handshake not completed in `handshakeTimeoutMs`, or no inbound frame for `idleTimeoutMs`. */
  TIMEOUT: 4408,
  /**
   * More inbound bytes than a limit lets the runtime hold: a frame before the welcome over
   * `maxPreHandshakeFrameBytes`, a frame still arriving over `maxInboundInFlightBytes` (or the
   * one arriving the longest when all together pass `maxInboundInFlightBytesTotal`), frames queued behind a
   * pending hello/resume over their cap.
   */
  TOO_LARGE: 4413,
  /** Too many connections (overall or from this source), or authentication attempts rate-limited. */
  TOO_MANY: 4429,
  /** The reader fell behind by more than `maxOutboundBufferedBytes` (or held the most past `maxOutboundBufferedBytesTotal`); resume to continue. */
  SLOW_READER: 4508,
  /** The session's resume buffer is full (`overflow: 'end-session'`) or a retained-events budget left no room: the session ended. */
  OVER_BUDGET: 4507,
  /** This runtime node was taken for dead by its cluster (fenced): connect to another node. */
  UNAVAILABLE: 1013,
});

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
