// The one place where authority/ touches its neighbours (errors/, protocol/, generated/).
//
// Until those modules land, this file holds minimal stand-ins with the contract names
// (docs/design/contracts.md §2, §3). When they exist, each stand-in is replaced by a
// re-export, and nothing else in authority/ changes.

export { KitError } from '../errors/kit-error.js';

// ---- generated/ stand-ins (replace with `export type { ... } from '../../generated/types.js'`)

/** §9.2: capability name -> patterns. */
export type Lease = Record<string, string[]>;

/** §9.5 */
export interface LeaseConstraints {
  expires_at?: string;
  [key: string]: unknown;
}

/** §8.2 metric body; `dimensions` is the Spec key (catalog §9 #10). */
export interface MetricBody {
  name: string;
  value: number;
  unit?: string;
  dimensions?: Record<string, unknown>;
  [key: string]: unknown;
}

/** §9.8.1 credential object, Spec-shaped constraints (catalog §9 #13). */
export interface Credential {
  id: string;
  scheme: string;
  value: string;
  endpoint: string;
  profile?: string;
  constraints?: {
    'cost.budget'?: string[];
    'model.use'?: string[];
    expires_at?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** §9.2 reserved namespaces. */
export const RESERVED_CAPABILITIES: readonly string[] = [
  'fs.read',
  'fs.write',
  'net.fetch',
  'tool.call',
  'agent.delegate',
  'cost.budget',
  'model.use',
];

// ---- protocol/ stand-in (replace with `export type { Clock } from '../protocol/clock.js'`)

/** Wall clock (epoch ms) plus a monotonic clock (ms, arbitrary origin). */
export interface Clock {
  now(): number;
  monotonic(): number;
}

// ---- errors/ stand-ins (replace with re-exports from '../errors/index.js')

export type ErrorCode =
  | 'PERMISSION_DENIED'
  | 'LEASE_SUBSET_VIOLATION'
  | 'LEASE_EXPIRED'
  | 'BUDGET_EXHAUSTED'
  | 'INVALID_REQUEST'
  | 'INTERNAL_ERROR'
  | (string & {});

export class ARCPError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, retryable: boolean, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ARCPError';
    this.code = code;
    this.retryable = retryable;
    if (details !== undefined) this.details = details;
  }
  toPayload(): { code: string; message: string; retryable: boolean; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.details ? { details: this.details } : {}) };
  }
}

// §12: LEASE_EXPIRED and BUDGET_EXHAUSTED are pinned false; INTERNAL_ERROR pinned true.
const DEFAULT_RETRYABLE: Record<string, boolean> = { INTERNAL_ERROR: true };

export function arcpError(
  code: ErrorCode,
  message: string,
  opts: { retryable?: boolean; details?: Record<string, unknown> } = {},
): ARCPError {
  return new ARCPError(code, message, opts.retryable ?? DEFAULT_RETRYABLE[code] ?? false, opts.details);
}
