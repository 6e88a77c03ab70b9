/**
 * Credential values are secrets with a lifetime: valid from `job.accepted` (or a rotation)
 * until the job's terminal, when the runtime revokes them (§9.8, §14). These helpers let a job
 * handle follow rotations and forget values at the terminal, and let printers redact them.
 */
import { isObject, str } from './normalize.js';

/** What replaces a credential value in anything shown to a user. */
export const REDACTED = '[redacted]';

/** `{id, value}` of a `status credential_rotated` body (catalog §10 #27: `details`), else undefined. */
export function rotationOf(kind: string, body: unknown): { id: string; value: string } | undefined {
  if (kind !== 'status' || !isObject(body) || body.phase !== 'credential_rotated' || !isObject(body.details)) return undefined;
  const id = str(body.details.id);
  const value = str(body.details.value);
  return id && value ? { id, value } : undefined;
}

/** Removes the value from a rotation body in place (the event object is the client's own copy). */
export function forgetRotationValue(kind: string, body: unknown): void {
  if (rotationOf(kind, body) && isObject(body) && isObject(body.details)) delete body.details.value;
}

/**
 * A deep copy of `value` where every string equal to a known secret becomes REDACTED (linear in
 * the size of `value`); rotation bodies lose their `details.value` whether or not it is known.
 */
export function redactSecrets(value: unknown, secrets: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return secrets.has(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, secrets));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactSecrets(v, secrets);
  if (value.phase === 'credential_rotated' && isObject(out.details) && out.details.value !== undefined) {
    out.details = { ...out.details, value: REDACTED };
  }
  return out;
}
