import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../generated/registry.js';
import type { ErrorCode } from '../../../generated/types.js';
import {
  ARCPError,
  arcpError,
  BudgetExhaustedError,
  ERROR_CLASSES,
  errorFromPayload,
  InternalError,
  InvalidRequestError,
  isARCPError,
  JobTimeoutError,
  KitError,
  LeaseExpiredError,
  PermissionDeniedError,
} from '../index.js';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

describe('ARCPError classes', () => {
  it('the generated table has the 15 codes of spec §12', () => {
    expect(CODES).toHaveLength(15);
  });

  it.each(CODES)('%s has its own class, built by arcpError', (code) => {
    const cls = ERROR_CLASSES[code];
    expect(cls).toBeDefined();
    expect(cls.code).toBe(code);
    const err = arcpError(code, `something about ${code}`);
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(ARCPError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.name).toBe(cls.name);
    expect(err.retryable).toBe(ERROR_CODES[code].retryable);
    // Different per-code classes do not match each other.
    const other = CODES.find((c) => c !== code)!;
    expect(err).not.toBeInstanceOf(ERROR_CLASSES[other]);
  });

  it('class names follow contracts.md (TIMEOUT is JobTimeoutError)', () => {
    expect(ERROR_CLASSES.TIMEOUT).toBe(JobTimeoutError);
    expect(Object.values(ERROR_CLASSES).map((c) => c.name).sort()).toEqual(
      [
        'AgentNotAvailableError',
        'AgentVersionNotAvailableError',
        'BudgetExhaustedError',
        'CancelledError',
        'DuplicateKeyError',
        'HeartbeatLostError',
        'InternalError',
        'InvalidRequestError',
        'JobNotFoundError',
        'JobTimeoutError',
        'LeaseExpiredError',
        'LeaseSubsetViolationError',
        'PermissionDeniedError',
        'ResumeWindowExpiredError',
        'UnauthenticatedError',
      ],
    );
  });
});

describe('retryable rules (spec §12, catalog §4.3)', () => {
  it('LEASE_EXPIRED and BUDGET_EXHAUSTED are never retryable, even when asked', () => {
    expect(new LeaseExpiredError('expired', { retryable: true }).retryable).toBe(false);
    expect(arcpError('BUDGET_EXHAUSTED', 'spent', { retryable: true }).retryable).toBe(false);
    expect(new BudgetExhaustedError('spent').toPayload().retryable).toBe(false);
  });

  it('INTERNAL_ERROR is always retryable, even when asked otherwise', () => {
    expect(new InternalError('boom', { retryable: false }).retryable).toBe(true);
  });

  it('pinned flags agree with the generated table', () => {
    expect(ERROR_CODES.LEASE_EXPIRED).toMatchObject({ retryable: false, pinned: true });
    expect(ERROR_CODES.BUDGET_EXHAUSTED).toMatchObject({ retryable: false, pinned: true });
    expect(ERROR_CODES.INTERNAL_ERROR).toMatchObject({ retryable: true, pinned: true });
  });

  it.each(CODES.filter((c) => !ERROR_CODES[c].pinned))('unpinned %s takes the caller value', (code) => {
    expect(arcpError(code, 'x', { retryable: true }).retryable).toBe(true);
    expect(arcpError(code, 'x', { retryable: false }).retryable).toBe(false);
  });
});

describe('toPayload', () => {
  it('produces the §4.1 wire shape', () => {
    const err = new PermissionDeniedError('fs.write denied', { details: { capability: 'fs.write' } });
    expect(err.toPayload()).toEqual({
      code: 'PERMISSION_DENIED',
      message: 'fs.write denied',
      retryable: false,
      details: { capability: 'fs.write' },
    });
  });

  it('never emits an empty message and omits absent details', () => {
    expect(new InvalidRequestError('').toPayload()).toEqual({
      code: 'INVALID_REQUEST',
      message: 'INVALID_REQUEST',
      retryable: ERROR_CODES.INVALID_REQUEST.retryable,
    });
  });
});

describe('errorFromPayload', () => {
  it.each(CODES)('maps %s to its class and round-trips toPayload', (code) => {
    const payload = { code, message: 'm', retryable: ERROR_CODES[code].retryable, details: { k: 1 } };
    const err = errorFromPayload(payload);
    expect(err).toBeInstanceOf(ERROR_CLASSES[code]);
    expect(err.toPayload()).toEqual(payload);
  });

  it('maps an unknown code to InternalError keeping the original code (catalog §9 #22)', () => {
    const err = errorFromPayload({ code: 'VENDOR_QUOTA', message: 'quota hit', retryable: false, details: { q: 1 } });
    expect(err).toBeInstanceOf(InternalError);
    expect(err.code).toBe('INTERNAL_ERROR');
    expect(err.message).toBe('quota hit');
    expect(err.retryable).toBe(true);
    expect(err.details).toEqual({ q: 1, original_code: 'VENDOR_QUOTA', received_retryable: false });
  });

  it('keeps pinned values but records a peer value that breaks them (catalog §9 #23)', () => {
    const err = errorFromPayload({ code: 'INTERNAL_ERROR', message: 'cap', retryable: false });
    expect(err.retryable).toBe(true);
    expect(err.details).toEqual({ received_retryable: false });
    const lease = errorFromPayload({ code: 'LEASE_EXPIRED', message: 'x', retryable: true });
    expect(lease.retryable).toBe(false);
  });

  it('accepts an unpinned retryable from the peer (Go sends HEARTBEAT_LOST true)', () => {
    expect(errorFromPayload({ code: 'HEARTBEAT_LOST', message: 'gone', retryable: true }).retryable).toBe(true);
    expect(errorFromPayload({ code: 'HEARTBEAT_LOST', message: 'gone', retryable: false }).retryable).toBe(false);
  });

  it('never throws on malformed payloads', () => {
    for (const bad of [null, 42, 'x', [], {}, { code: 7 }, { code: 'TIMEOUT', message: '' }]) {
      const err = errorFromPayload(bad);
      expect(err).toBeInstanceOf(ARCPError);
      expect(err.message).not.toBe('');
    }
    expect(errorFromPayload({ code: 'TIMEOUT', message: '' })).toBeInstanceOf(JobTimeoutError);
    expect(errorFromPayload(null).details).toEqual({ received_type: 'null' });
  });
});

describe('brand-based instanceof', () => {
  // Simulates an error created by a second installed copy of arcp-kit: same brand symbol,
  // unrelated prototype chain.
  function foreignError(code: string): Error {
    const e = new Error('from another copy') as Error & { code: string; retryable: boolean };
    e.code = code;
    e.retryable = false;
    Object.defineProperty(e, Symbol.for('arcp-kit.ARCPError'), { value: true });
    return e;
  }

  it('matches ARCPError and the per-code class across copies', () => {
    const e = foreignError('PERMISSION_DENIED');
    expect(e).toBeInstanceOf(ARCPError);
    expect(e).toBeInstanceOf(PermissionDeniedError);
    expect(e).not.toBeInstanceOf(LeaseExpiredError);
    expect(isARCPError(e, 'PERMISSION_DENIED')).toBe(true);
  });

  it('does not match unbranded look-alikes', () => {
    const e = Object.assign(new Error('x'), { code: 'PERMISSION_DENIED' });
    expect(e).not.toBeInstanceOf(ARCPError);
    expect(e).not.toBeInstanceOf(PermissionDeniedError);
    expect(isARCPError(null)).toBe(false);
  });

  it('user subclasses keep prototype semantics', () => {
    class MyDenied extends PermissionDeniedError {}
    expect(new MyDenied('x')).toBeInstanceOf(MyDenied);
    expect(new PermissionDeniedError('x')).not.toBeInstanceOf(MyDenied);
  });

  it('KitError is a separate family with its own brand', () => {
    const kit = new KitError('ARCP_KIT_TRANSPORT_CLOSED', 'closed');
    expect(kit).toBeInstanceOf(KitError);
    expect(kit).not.toBeInstanceOf(ARCPError);
    expect(new InternalError('x')).not.toBeInstanceOf(KitError);
    const foreign = Object.defineProperty(new Error('y'), Symbol.for('arcp-kit.KitError'), { value: true });
    expect(foreign).toBeInstanceOf(KitError);
  });
});
