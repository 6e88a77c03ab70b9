// A RuntimeLogger that writes one line per record: JSON lines (`{"ts","level","msg",...data}`)
// for log pipelines, or `ts LEVEL msg key=value ...` for people. Used by `arcp serve
// --log-level --log-format`, and by embedders: `new ARCPRuntime({ logger: createLogger() })`.
import type { RuntimeLogger } from '../runtime/options.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  /** Records below this level are dropped. Default `info`. */
  level?: LogLevelName;
  /** Default `json`. */
  format?: LogFormat;
  /** Where each line (with its trailing newline) goes. Default: process.stderr. */
  write?: (line: string) => void;
  /** Wall clock for `ts` (tests inject one). Default Date.now. */
  now?: () => number;
  /** Fields on every record (e.g. `{ service: 'my-app' }`). */
  base?: Record<string, unknown>;
}

const RANK: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: unknown): value is LogLevelName {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

export function createLogger(opts: LoggerOptions = {}): RuntimeLogger {
  const threshold = RANK[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => void process.stderr.write(line));
  const now = opts.now ?? Date.now;
  const format = opts.format ?? 'json';
  const base = opts.base ?? {};
  return (level, message, data) => {
    if (RANK[level] === undefined || RANK[level] < threshold) return;
    const ts = new Date(now()).toISOString();
    const fields = { ...base, ...data };
    write(format === 'json' ? jsonLine(ts, level, message, fields) : textLine(ts, level, message, fields));
  };
}

function jsonLine(ts: string, level: string, msg: string, fields: Record<string, unknown>): string {
  const record: Record<string, unknown> = { ts, level, msg };
  for (const [k, v] of Object.entries(fields)) if (!(k in record)) record[k] = plain(v);
  return `${safeStringify(record)}\n`;
}

function textLine(ts: string, level: string, msg: string, fields: Record<string, unknown>): string {
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const p = plain(v);
      const s = typeof p === 'string' ? p : safeStringify(p);
      return `${k}=${/[\s"=]/.test(s) ? JSON.stringify(s) : s}`;
    });
  return `${ts} ${level.toUpperCase().padEnd(5)} ${msg}${parts.length ? ` ${parts.join(' ')}` : ''}\n`;
}

// Errors stringify to `{}`; a log line should say what went wrong.
function plain(v: unknown): unknown {
  if (v instanceof Error) return { name: v.name, message: v.message, ...('code' in v ? { code: (v as { code: unknown }).code } : {}) };
  if (typeof v === 'bigint') return v.toString();
  return v;
}

// A record must never throw out of the logger (cycles, BigInt deep inside): degrade instead.
function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Error ? plain(v) : v));
  } catch (err) {
    return JSON.stringify({ unserialisable: String(err) });
  }
}
