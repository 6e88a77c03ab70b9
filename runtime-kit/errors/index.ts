// errors/: the two error families (style.md item 11). ARCPError crosses the wire; KitError never does.
export { ARCPError, isARCPError, resolveRetryable, type ARCPErrorOptions } from './arcp-error.js';
export * from './classes.js';
export { arcpError, errorFromPayload, isErrorCode } from './factory.js';
export { KitError, KIT_ERROR_CODES, isKitError, type KitErrorCode, type KitErrorOptions } from './kit-error.js';
