// protocol/: envelope codec and validation, ids, request correlation, clock (style.md item 9).
export { assertStrict, decodeFrame, strictEventBodyOk, encodeMessage, type Decoded, type DecodeOptions, type EncodeOptions, type PartialIds } from './codec.js';
export { RequestCorrelator, type ReplyLike } from './correlation.js';
export { sleep, systemClock, type Clock, type TimerHandle } from './clock.js';
export { ManualClock } from './manual-clock.js';
export { MAX_TIMER_STEP_MS, schedule } from './schedule.js';
export {
  ID_PATTERNS,
  isTraceId,
  newJobId,
  newMessageId,
  newNonce,
  newResultId,
  newResumeToken,
  newSessionId,
  newTraceId,
} from './ids.js';
