// §7.6 / §14: `credentials` follow the submitter principal only. Everything a non-submitter
// observer receives — job.subscribed, listings, forwarded `status credential_rotated` bodies —
// is stripped of credential material here.

/** True when `observerPrincipal` may see the job's credentials. */
export function maySeeCredentials(observerPrincipal: string, submitterPrincipal: string): boolean {
  return observerPrincipal === submitterPrincipal;
}

interface EventPayload {
  kind?: unknown;
  body?: { phase?: unknown; details?: Record<string, unknown> } & Record<string, unknown>;
}

/** Phase an observer sees instead of `credential_rotated` (which, strictly, must carry `value`). */
export const REDACTED_ROTATION_PHASE = 'credential_rotated.redacted';

/**
 * A forwarded sequenced payload for an observer. A `credential_rotated` status becomes a
 * non-secret notice `{phase: "credential_rotated.redacted", message: id, details: {id}}`: the
 * observer learns that (and which) credential rotated, never its value. A `credential_rotated`
 * body without `value` would break our strict status schema (catalog §10 #27), hence the own phase.
 * Other payloads pass through untouched.
 */
export function redactForwardedPayload(type: string, payload: unknown, showCredentials: boolean): unknown {
  if (showCredentials || type !== 'job.event') return payload;
  const p = payload as EventPayload;
  if (p?.kind !== 'status' || p.body?.phase !== 'credential_rotated') return payload;
  const id = typeof p.body.details?.id === 'string' ? p.body.details.id : undefined;
  return { ...p, body: { phase: REDACTED_ROTATION_PHASE, ...(id ? { message: id, details: { id } } : {}) } };
}
