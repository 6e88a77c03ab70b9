// §7.6 / §14 observation policy: who may subscribe to (and list) a job. Runtimes MUST default to
// "same principal only"; broadening needs explicit configuration (`subscribePolicy` option).
import type { JobInfo } from '../hooks.js';

export interface ObserveRequest {
  /** Principal of the observing session. */
  principal: string;
  sessionId: string;
  job: JobInfo;
  /** What is being asked: a live subscription or a listing entry. */
  action: 'subscribe' | 'list';
}

/** Returns true to allow. Submitting principals are always allowed (the policy is not asked). */
export type SubscribePolicy = (req: ObserveRequest) => boolean;

export interface ObserveDecision {
  allowed: boolean;
  reason: string;
}

/** Same principal always; otherwise the configured policy; no policy means deny. */
export function decideObserve(policy: SubscribePolicy | undefined, req: ObserveRequest): ObserveDecision {
  if (req.principal === req.job.principal) return { allowed: true, reason: 'same principal' };
  if (policy === undefined) return { allowed: false, reason: 'default policy: same principal only' };
  let allowed = false;
  try {
    allowed = policy(req) === true;
  } catch {
    allowed = false; // a failing policy denies (fail closed)
  }
  return { allowed, reason: allowed ? 'allowed by subscribePolicy' : 'denied by subscribePolicy' };
}
