/**
 * `session.hello` / `session.resume` construction and `session.welcome` reading (§6.1-§6.3).
 * By default a resume rides on `session.hello.payload.resume` — the form TS, Go and Py runtimes
 * all accept (catalog §9 #1); `resumeForm: 'session.resume'` sends the spec's message instead.
 */
import { FEATURES } from '../../generated/registry.js';
import { agentsFrom, isObject, str } from './normalize.js';
import type { ARCPClientOptions, ResumeOptions, WelcomeInfo } from './types.js';

/** The range a welcome's `heartbeat_interval_sec` is clamped to (the schema's smallest integer, one day). */
export const MIN_HEARTBEAT_SEC = 1;
export const MAX_HEARTBEAT_SEC = 86_400;

/** Every v1.1 feature flag (§6.2), advertised unless the caller narrows it. */
export const ALL_FEATURES: readonly string[] = FEATURES;

export function helloPayload(opts: ARCPClientOptions, resume?: ResumeOptions): Record<string, unknown> {
  const client: Record<string, unknown> = { name: opts.client.name, version: opts.client.version };
  if (opts.client.fingerprint) client.fingerprint = opts.client.fingerprint;
  const payload: Record<string, unknown> = {
    client,
    auth: { scheme: 'bearer', token: opts.token },
    capabilities: { encodings: ['json'], features: [...(opts.features ?? ALL_FEATURES)] },
  };
  if (resume) {
    payload.resume = {
      session_id: resume.sessionId,
      resume_token: resume.resumeToken,
      last_event_seq: resume.lastEventSeq,
    };
  }
  return payload;
}

/** The first frame on a transport: a hello (fresh or resuming) or a `session.resume`. */
export function openingMessage(opts: ARCPClientOptions, resume?: ResumeOptions): { type: string; payload: Record<string, unknown>; sessionId?: string } {
  const hello = helloPayload(opts, resume);
  if (!resume || (opts.resumeForm ?? 'hello') === 'hello') return { type: 'session.hello', payload: hello };
  // The spec form carries the same credentials and capabilities, so the resumed session
  // re-negotiates exactly as a resuming hello would.
  const { resume: fields, ...rest } = hello;
  return { type: 'session.resume', payload: { ...(fields as Record<string, unknown>), ...rest }, sessionId: resume.sessionId };
}

/**
 * Reads a welcome leniently: `session_id` from the envelope or (Py) the payload; the effective
 * features are our advertised list ∩ the welcome's (a welcome without `features` grants none).
 */
export function welcomeInfoFrom(
  envelope: Record<string, unknown>,
  advertised: readonly string[],
): WelcomeInfo | { error: string } {
  const p = isObject(envelope.payload) ? envelope.payload : {};
  const sessionId = str(envelope.session_id) ?? str(p.session_id);
  if (!sessionId) return { error: 'session.welcome carries no session_id' };
  const resumeToken = str(p.resume_token);
  if (!resumeToken) return { error: 'session.welcome carries no resume_token' };
  const caps = isObject(p.capabilities) ? p.capabilities : {};
  const offered = Array.isArray(caps.features) ? caps.features.filter((f): f is string => typeof f === 'string') : [];
  const features = advertised.filter((f) => offered.includes(f));
  const runtime = isObject(p.runtime) ? p.runtime : {};
  const info: WelcomeInfo = {
    sessionId,
    resumeToken,
    resumeWindowSec: typeof p.resume_window_sec === 'number' ? p.resume_window_sec : 0,
    features,
    agents: agentsFrom(caps.agents),
    runtime: { name: str(runtime.name) ?? 'unknown', version: str(runtime.version) ?? 'unknown' },
  };
  if (str(runtime.fingerprint)) info.runtime.fingerprint = runtime.fingerprint as string;
  if (typeof p.heartbeat_interval_sec === 'number' && p.heartbeat_interval_sec > 0) {
    // The runtime picks it, so it is clamped: past ~24.8 days Node's timers overflow to 1 ms (a
    // spin: 13% of a core for 1e300), and under a second the client would ping that often.
    info.heartbeatIntervalSec = Math.min(Math.max(p.heartbeat_interval_sec, MIN_HEARTBEAT_SEC), MAX_HEARTBEAT_SEC);
  }
  return info;
}
