// §6.2: no session receives a kind or message of a feature it did not negotiate, on any path —
// the owner's own stream, forwarded subscriber copies, history replays, idempotent re-attaches.
// Enforced once, where a session sends, instead of at every producer. Facts come from the
// generated registry (EVENT_KINDS / MESSAGES feature flags).
import { EVENT_KINDS, MESSAGES, type Feature, type MessageType } from '../../generated/index.js';

const KIND_FEATURE: ReadonlyMap<string, Feature> = new Map(
  Object.values(EVENT_KINDS).flatMap((k) => (k.feature ? [[k.kind, k.feature] as const] : [])),
);

// A pong answers the peer's own ping: always sent, even without `heartbeat` (catalog §10 #12).
const ALWAYS_SENT: ReadonlySet<string> = new Set<MessageType>(['session.pong']);

/** Whether a job.event payload's kind may go to a session with `features`. */
export function eventAllowed(features: ReadonlySet<Feature>, payload: unknown): boolean {
  const kind = (payload as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string') return true;
  const feature = KIND_FEATURE.get(kind);
  return feature === undefined || features.has(feature);
}

/** Whether an unsequenced message type may go to a session with `features`. */
export function messageAllowed(features: ReadonlySet<Feature>, type: string): boolean {
  const feature = (MESSAGES as Record<string, { feature: Feature | null } | undefined>)[type]?.feature;
  return feature === null || feature === undefined || ALWAYS_SENT.has(type) || features.has(feature);
}
