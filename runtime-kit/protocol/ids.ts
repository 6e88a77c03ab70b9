// Identifier minting (catalog §6.20, §9 #18/#19, App. A): `msg_`/`sess_`/`job_`/`res_` + ULID,
// resume tokens `rt_` + 64 hex (256 random bits), trace ids 32 lower-case hex and never all
// zeros, ping nonces are message ids.
import { randomBytes, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// Every streamed event needs a fresh envelope id, so minting must be cheap. The monotonic
// factory reuses the random part within a millisecond and increments it; at every new
// millisecond it draws 16 random characters through its PRNG. ulid's default PRNG calls
// crypto.getRandomValues once per character (~16 webcrypto calls per ms, the largest runtime
// cost of a 100k-event stream), so we hand it the same CSPRNG bytes drawn from a pooled
// buffer, refilled 4 KiB at a time (what `uuid`'s rng does). These ids are identifiers, not
// secrets; the resume token is the only secret and draws its own bytes.
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolPos = POOL_BYTES;

/** Uniform in [0, 1) with 8-bit resolution, as ulid's own PRNG returns (it takes floor(x * 32)). */
function pooledRandom(): number {
  if (poolPos === POOL_BYTES) {
    randomFillSync(pool);
    poolPos = 0;
  }
  return pool[poolPos++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

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
