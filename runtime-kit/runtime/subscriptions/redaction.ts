// §7.6 / §14: `credentials` follow the submitter principal only. Everything a non-submitter
// observer receives — job.subscribed, listings, forwarded `status credential_rotated` bodies —
// is stripped of credential material here (fault `leak-credentials-to-observer` disables it).

/** True when `observerPrincipal` may see the job's credentials. */
export function maySeeCredentials(observerPrincipal: string, submitterPrincipal: string, leakFault = false): boolean {
  return leakFault || observerPrincipal === submitterPrincipal;
}

interface EventPayload {
  kind?: unknown;
  body?: { phase?: unknown; details?: Record<string, unknown> } & Record<string, unknown>;
}

/**
 * A forwarded sequenced payload for an observer. A `credential_rotated` status keeps its
 * credential `id` (audit correlation) but loses `value`; other payloads pass through untouched.
 */
export function redactForwardedPayload(type: string, payload: unknown, showCredentials: boolean): unknown {
  if (showCredentials || type !== 'job.event') return payload;
  const p = payload as EventPayload;
  if (p?.kind !== 'status' || p.body?.phase !== 'credential_rotated') return payload;
  const details = { ...(p.body.details ?? {}) };
  delete details.value;
  return { ...p, body: { ...p.body, details: { ...details, redacted: true } } };
}
