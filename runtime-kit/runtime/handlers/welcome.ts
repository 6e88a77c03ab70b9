// session.welcome (§6.2) for fresh and resumed sessions: negotiated feature intersection,
// agent inventory, a freshly rotated resume token, window and (if negotiated) heartbeat interval.
import type { Feature, SessionWelcome, SessionWelcomePayload } from '../../../generated/index.js';
import type { RuntimeCore } from '../core.js';
import { envelope } from '../envelope.js';
import type { Session } from '../session.js';

/** §6.2: the effective set is the intersection; the welcome lists exactly it, in runtime order. */
export function negotiateFeatures(advertised: readonly Feature[], requested: readonly string[] | undefined): Set<Feature> {
  const wanted = new Set(requested ?? []);
  return new Set(advertised.filter((f) => wanted.has(f)));
}

// Wire integers (catalog §2.2: int > 0); tests may run the runtime with sub-second intervals.
function wholeSeconds(sec: number): number {
  return Math.max(1, Math.ceil(sec));
}

export function sendWelcome(core: RuntimeCore, session: Session): void {
  const payload: SessionWelcomePayload = {
    runtime: core.options.runtimeInfo,
    session_id: session.id,
    resume_token: session.resumeToken,
    resume_window_sec: wholeSeconds(core.options.resumeWindowSec),
    capabilities: {
      encodings: ['json'],
      features: core.advertisedFeatures().filter((f) => session.has(f)),
      agents: core.agents.inventory(),
    },
  } as SessionWelcomePayload;
  if (session.has('heartbeat')) {
    (payload as { heartbeat_interval_sec?: number }).heartbeat_interval_sec = wholeSeconds(core.options.heartbeatIntervalMs / 1000);
  }
  session.persist(); // the rotated token's hash is durable before the token is sent
  session.sendControl(envelope<SessionWelcome>('session.welcome', { session_id: session.id }, payload));
}
