// One class per ARCP error code (spec §12), names fixed by contracts.md §3. The `satisfies` on
// ERROR_CLASSES makes the compiler check that every generated ErrorCode has a class.
import type { ErrorCode } from '../../generated/types.js';
import { ARCPError, type ARCPErrorOptions } from './arcp-error.js';

export interface ARCPErrorClass {
  new (message: string, opts?: ARCPErrorOptions): ARCPError;
  readonly code: ErrorCode;
}

/** PERMISSION_DENIED: §9.3 lease enforcement rejected the operation. */
export class PermissionDeniedError extends ARCPError {
  static readonly code = 'PERMISSION_DENIED' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('PERMISSION_DENIED', message, opts);
    this.name = 'PermissionDeniedError';
  }
}

/** LEASE_SUBSET_VIOLATION: §9.4 delegation asked for more than the parent lease. */
export class LeaseSubsetViolationError extends ARCPError {
  static readonly code = 'LEASE_SUBSET_VIOLATION' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('LEASE_SUBSET_VIOLATION', message, opts);
    this.name = 'LeaseSubsetViolationError';
  }
}

/** JOB_NOT_FOUND: unknown or invisible job_id. */
export class JobNotFoundError extends ARCPError {
  static readonly code = 'JOB_NOT_FOUND' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('JOB_NOT_FOUND', message, opts);
    this.name = 'JobNotFoundError';
  }
}

/** DUPLICATE_KEY: §7.2 idempotency key reused with different parameters. */
export class DuplicateKeyError extends ARCPError {
  static readonly code = 'DUPLICATE_KEY' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('DUPLICATE_KEY', message, opts);
    this.name = 'DuplicateKeyError';
  }
}

/** AGENT_NOT_AVAILABLE: agent not registered. */
export class AgentNotAvailableError extends ARCPError {
  static readonly code = 'AGENT_NOT_AVAILABLE' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('AGENT_NOT_AVAILABLE', message, opts);
    this.name = 'AgentNotAvailableError';
  }
}

/** AGENT_VERSION_NOT_AVAILABLE: §7.5 agent known, version not registered. */
export class AgentVersionNotAvailableError extends ARCPError {
  static readonly code = 'AGENT_VERSION_NOT_AVAILABLE' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('AGENT_VERSION_NOT_AVAILABLE', message, opts);
    this.name = 'AgentVersionNotAvailableError';
  }
}

/** CANCELLED: §7.4 the client cancelled the job. */
export class CancelledError extends ARCPError {
  static readonly code = 'CANCELLED' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('CANCELLED', message, opts);
    this.name = 'CancelledError';
  }
}

/** TIMEOUT: max_runtime_sec exceeded. */
export class JobTimeoutError extends ARCPError {
  static readonly code = 'TIMEOUT' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('TIMEOUT', message, opts);
    this.name = 'JobTimeoutError';
  }
}

/** RESUME_WINDOW_EXPIRED: §6.3 the buffer no longer covers the resume point. */
export class ResumeWindowExpiredError extends ARCPError {
  static readonly code = 'RESUME_WINDOW_EXPIRED' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('RESUME_WINDOW_EXPIRED', message, opts);
    this.name = 'ResumeWindowExpiredError';
  }
}

/** HEARTBEAT_LOST: §6.4 the peer went silent. */
export class HeartbeatLostError extends ARCPError {
  static readonly code = 'HEARTBEAT_LOST' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('HEARTBEAT_LOST', message, opts);
    this.name = 'HeartbeatLostError';
  }
}

/** LEASE_EXPIRED: §9.5 expires_at reached; never retryable. */
export class LeaseExpiredError extends ARCPError {
  static readonly code = 'LEASE_EXPIRED' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('LEASE_EXPIRED', message, opts);
    this.name = 'LeaseExpiredError';
  }
}

/** BUDGET_EXHAUSTED: §9.6 a cost.budget counter reached zero; never retryable. */
export class BudgetExhaustedError extends ARCPError {
  static readonly code = 'BUDGET_EXHAUSTED' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('BUDGET_EXHAUSTED', message, opts);
    this.name = 'BudgetExhaustedError';
  }
}

/** INVALID_REQUEST: malformed envelope or schema violation. */
export class InvalidRequestError extends ARCPError {
  static readonly code = 'INVALID_REQUEST' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('INVALID_REQUEST', message, opts);
    this.name = 'InvalidRequestError';
  }
}

/** UNAUTHENTICATED: §6.1 missing or invalid authentication. */
export class UnauthenticatedError extends ARCPError {
  static readonly code = 'UNAUTHENTICATED' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('UNAUTHENTICATED', message, opts);
    this.name = 'UnauthenticatedError';
  }
}

/** INTERNAL_ERROR: runtime fault; always retryable. */
export class InternalError extends ARCPError {
  static readonly code = 'INTERNAL_ERROR' as const;
  constructor(message: string, opts?: ARCPErrorOptions) {
    super('INTERNAL_ERROR', message, opts);
    this.name = 'InternalError';
  }
}

export const ERROR_CLASSES = {
  PERMISSION_DENIED: PermissionDeniedError,
  LEASE_SUBSET_VIOLATION: LeaseSubsetViolationError,
  JOB_NOT_FOUND: JobNotFoundError,
  DUPLICATE_KEY: DuplicateKeyError,
  AGENT_NOT_AVAILABLE: AgentNotAvailableError,
  AGENT_VERSION_NOT_AVAILABLE: AgentVersionNotAvailableError,
  CANCELLED: CancelledError,
  TIMEOUT: JobTimeoutError,
  RESUME_WINDOW_EXPIRED: ResumeWindowExpiredError,
  HEARTBEAT_LOST: HeartbeatLostError,
  LEASE_EXPIRED: LeaseExpiredError,
  BUDGET_EXHAUSTED: BudgetExhaustedError,
  INVALID_REQUEST: InvalidRequestError,
  UNAUTHENTICATED: UnauthenticatedError,
  INTERNAL_ERROR: InternalError,
} as const satisfies Record<ErrorCode, ARCPErrorClass>;
