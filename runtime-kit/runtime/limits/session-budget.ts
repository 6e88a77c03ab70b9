// Session budgets (issue 13: 40 dropped sessions held +836 MB for their resume window). Before a
// new session is created, room is made under `maxSessionsPerPrincipal` and `maxSessions` by
// forgetting detached sessions, least recently active first (their resume then fails like any
// expired one, RESUME_WINDOW_EXPIRED). Attached sessions are never taken away from a live
// client: when only those are left, the new hello is refused (PERMISSION_DENIED, retryable,
// close 4429).
import type { Session } from '../session.js';
import type { SessionRegistry } from '../session-registry.js';
import { CLOSE_CODES } from './close-codes.js';
import { limitError } from './limit-errors.js';
import type { RuntimeLimits } from './limits-options.js';
import type { Refusal } from './runtime-guard.js';

type Log = (level: 'warn', message: string, data: Record<string, unknown>) => void;

export function makeRoomForSession(registry: SessionRegistry, principal: string, limits: Readonly<RuntimeLimits>, log: Log): Refusal | undefined {
  const mine = registry.ofPrincipal(principal);
  while (mine.size >= limits.maxSessionsPerPrincipal) {
    const victim = leastRecentDetached(mine);
    if (!victim) return full('maxSessionsPerPrincipal', limits.maxSessionsPerPrincipal, 'this principal has too many open sessions');
    forget(registry, victim, 'maxSessionsPerPrincipal', log);
  }
  while (registry.size >= limits.maxSessions) {
    const victim = leastRecentDetached(registry.values());
    if (!victim) return full('maxSessions', limits.maxSessions, 'the runtime has too many open sessions');
    forget(registry, victim, 'maxSessions', log);
  }
  return undefined;
}

/** The least recently active session of `among` no client holds (detached, or already ended). */
export function leastRecentDetached(among: Iterable<Session>, except?: Session): Session | undefined {
  let best: Session | undefined;
  for (const s of among) {
    if (s === except || !(s.expired || (!s.isAttached && s.machine.is('detached')))) continue;
    if (!best || s.lastActivityMs < best.lastActivityMs) best = s;
  }
  return best;
}

export function forget(registry: SessionRegistry, session: Session, limit: keyof RuntimeLimits, log: Log): void {
  log('warn', 'memory budget: forgetting a detached session before its resume window ended', { session_id: session.id, principal: session.principal, limit });
  registry.expire(session);
}

function full(limit: keyof RuntimeLimits, max: number, message: string): Refusal {
  return { error: limitError('PERMISSION_DENIED', limit, max, `${message}; close one or try again later`, { retryable: true }), closeCode: CLOSE_CODES.TOO_MANY };
}
