/**
 * Automatic resume (§6.3, catalog §9 #1): after a transport drop, a heartbeat loss or a seq gap,
 * reconnect through the caller's factory and send `session.hello.payload.resume` from the last
 * contiguous seq, with exponential backoff. Afterwards, requests whose reply may have been lost
 * with the old transport are re-sent when repeating them is safe.
 */
import { KitError } from '../errors/kit-error.js';
import { sleep } from '../protocol/clock.js';
import type { ClientCore } from './core.js';
import { isObject } from './normalize.js';
import { newMessageId } from './wire.js';

export async function autoResume(core: ClientCore, cause: unknown): Promise<void> {
  const ar = core.opts.autoResume;
  const attempts = typeof ar === 'object' && ar?.attempts ? ar.attempts : 5;
  const backoff = typeof ar === 'object' && ar?.backoffMs !== undefined ? ar.backoffMs : 100;
  let last: unknown = cause;
  // A resume that "succeeded" but broke again before a single new event arrived in order counts
  // as a failed attempt: a runtime that answers every resume with a fresh gap would otherwise
  // be reconnected to at full speed for ever. Any progress starts the count afresh.
  const streak = core.resumeStreak;
  const start = streak !== undefined && streak.seq === core.tracker.latest ? streak.attempts : 0;
  for (let i = start; i < attempts; i++) {
    if (i > 0) await sleep(core.clock, Math.min(backoff * 2 ** (i - 1), 5_000));
    if (core.state !== 'resuming') return; // closed meanwhile
    try {
      const transport = await core.reconnect!();
      const w = core.welcome!;
      const info = await core.openSession(transport, { sessionId: w.sessionId, resumeToken: w.resumeToken, lastEventSeq: core.tracker.latest });
      // The replay that arrived with the welcome can already have broken the new transport (a
      // gap, §8.3): resume again from the last contiguous seq rather than report success.
      const interrupted = core.takeInterruption();
      if (interrupted !== undefined) {
        last = interrupted;
        core.state = 'resuming';
        continue;
      }
      core.resumeStreak = { seq: core.tracker.latest, attempts: i + 1 };
      core.afterResume(info);
      return;
    } catch (err) {
      last = err;
      // RESUME_WINDOW_EXPIRED is final: the runtime no longer holds this session.
      if (isObject(err) && (err as { code?: unknown }).code === 'RESUME_WINDOW_EXPIRED') break;
    }
  }
  core.state = 'broken';
  core.failEverything(last);
}

/**
 * Re-sends what is safe to repeat (list, subscribe, cancel, submits with an idempotency key, and
 * anything queued while resuming). A submit without a key that was already sent is failed
 * instead: `job.accepted` is not replayed (catalog §6.3), so it may or may not exist.
 */
export function resendPending(core: ClientCore): void {
  for (const req of core.pending.drainAll()) {
    if (!req.resend || (req.sent && req.kind === 'submit' && !req.resend.idempotent)) {
      req.reject(
        new KitError('ARCP_KIT_SUBMIT_UNCONFIRMED', 'the transport dropped before job.accepted; the job may or may not exist (no idempotency_key to retry safely)', {
          details: { traceId: req.traceId },
        }),
      );
      continue;
    }
    try {
      // A fresh envelope id: the runtime dedupes ids, so repeating the old one could go unanswered.
      if (req.sent) req.requestId = newMessageId();
      req.sent = true;
      core.pending.add(req);
      core.send(req.resend.type, req.resend.payload, req.resend.fields, req.requestId);
    } catch (err) {
      core.pending.takeById(req.requestId);
      req.reject(err);
    }
  }
}
