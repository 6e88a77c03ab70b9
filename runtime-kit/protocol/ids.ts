// Identifier minting (catalog §6.20, §9 #18/#19, App. A): `msg_`/`sess_`/`job_`/`res_` + ULID,
// resume tokens `rt_` + 64 hex (256 random bits), trace ids 32 lower-case hex and never all
// zeros, ping nonces are message ids.
import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// The monotonic factory is ~100x cheaper per id than `ulid()` (it reuses the random part within
// a millisecond and increments it), which matters when every streamed event needs a msg_ id.
// These ids are identifiers, not secrets; the resume token is the only secret and uses crypto.
const nextUlid = monotonicFactory();

export const newMessageId = (): string => `msg_${nextUlid()}`;
export const newSessionId = (): string => `sess_${nextUlid()}`;
export const newJobId = (): string => `job_${nextUlid()}`;
export const newResultId = (): string => `res_${nextUlid()}`;
/** Ping nonce (§6.4): TS uses a message id, so do we. */
export const newNonce = (): string => newMessageId();

/** Spec §6.3 resume token: 256 bits from the OS CSPRNG (issue asks for >= 128). */
export function newResumeToken(): string {
  return `rt_${randomBytes(32).toString('hex')}`;
}

/** W3C trace-id form (§11, catalog §9 #18): 32 lower-case hex, not all zeros. */
export function newTraceId(): string {
  for (;;) {
    const id = randomBytes(16).toString('hex');
    if (id !== ZERO_TRACE_ID) return id;
  }
}

const ZERO_TRACE_ID = '0'.repeat(32);
const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

export const ID_PATTERNS = {
  message: new RegExp(`^msg_${ULID}$`),
  session: new RegExp(`^sess_${ULID}$`),
  job: new RegExp(`^job_${ULID}$`),
  result: new RegExp(`^res_${ULID}$`),
  resumeToken: /^rt_[0-9a-f]{64}$/,
  traceId: /^[0-9a-f]{32}$/,
} as const;

export function isTraceId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERNS.traceId.test(value) && value !== ZERO_TRACE_ID;
}
