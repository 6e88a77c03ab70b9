// logging/: structured log lines for the runtime's `logger` option (sessions, jobs, errors).
export { createLogger, isLogLevel, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LoggerOptions, type LogLevelName } from './line-logger.js';
