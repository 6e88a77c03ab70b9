// Live job subscriptions (§7.6): each is a JobSink on the job that re-stamps the job's sequenced
// envelopes into the subscriber session's own seq space (new id, subscriber's session_id and
// event_seq; trace_id and payload unchanged except credential redaction). A subscription ends
// at the job's terminal envelope, on job.unsubscribe, and when the subscriber session closes
// (close/bye requested, or terminated) — catalog §6.8.
import type { Job, JobSink, SequencedType } from '../job.js';
import type { FairShare } from '../limits/fair-share.js';
import type { RuntimeLogger } from '../options.js';
import type { Session } from '../session.js';
import type { HistoryReplay } from './history-replay.js';
import { redactForwardedPayload } from './redaction.js';

class Subscription implements JobSink {
  constructor(
    readonly job: Job,
    readonly subscriber: Session,
    private readonly showCredentials: boolean,
    private readonly done: (s: Subscription) => void,
    private readonly logger: RuntimeLogger,
    private readonly fair: FairShare,
    public replay: HistoryReplay | undefined,
  ) {}

  deliver(type: SequencedType, payload: unknown, job: Job): void {
    if (this.subscriber.expired) return this.done(this);
    if (this.replay?.active) {
      // The history is still being written: this event goes after it, in the job's order.
      this.replay.push({ type, traceId: job.traceId, payload: redactForwardedPayload(type, payload, this.showCredentials) });
      if (type !== 'job.event') this.done(this);
      return;
    }
    try {
      this.subscriber.emitSequenced(type, job.jobId, job.traceId, redactForwardedPayload(type, payload, this.showCredentials));
      // A copy costs what the original did (build, store, write): it counts against the turn's
      // fair share, so a job with many watchers slows down instead of stalling the loop (issue 13:
      // 60 subscribed sessions turned 256 frames a turn into 15,616; a ping waited 361 ms).
      this.fair.take(1);
    } catch (err) {
      this.logger('error', 'could not forward an event to a subscriber', { job_id: job.jobId, session_id: this.subscriber.id, error: String(err) });
    }
    if (type !== 'job.event') this.done(this); // the terminal ends the subscription
  }
}

export class SubscriptionRegistry {
  private readonly bySession = new Map<Session, Map<string, Subscription>>();
  private readonly unwatch = new Map<Session, () => void>();

  constructor(
    private readonly logger: RuntimeLogger,
    private readonly fair: FairShare,
  ) {}

  /** Adds a live link (no-op if the session already subscribes to the job); live events wait behind `replay` while it runs. */
  add(job: Job, subscriber: Session, showCredentials: boolean, replay?: HistoryReplay): void {
    // A terminal job whose last output is still queued (limits/emit-outbox.ts) still has some to forward.
    if (job.terminalWritten) return;
    let subs = this.bySession.get(subscriber);
    const existing = subs?.get(job.jobId);
    if (existing) {
      // A repeated subscribe with history: live events now wait behind the newer replay.
      if (replay && !existing.replay?.active) existing.replay = replay;
      return;
    }
    if (!subs) {
      subs = new Map();
      this.bySession.set(subscriber, subs);
      this.watch(subscriber);
    }
    const sub = new Subscription(job, subscriber, showCredentials, (s) => this.remove(s), this.logger, this.fair, replay);
    subs.set(job.jobId, sub);
    job.sinks.add(sub);
  }

  /** job.unsubscribe: removes the link silently (catalog §6.8). */
  removeLink(subscriber: Session, jobId: string): boolean {
    const sub = this.bySession.get(subscriber)?.get(jobId);
    if (!sub) return false;
    this.remove(sub);
    return true;
  }

  isSubscribed(subscriber: Session, jobId: string): boolean {
    return this.bySession.get(subscriber)?.has(jobId) ?? false;
  }

  /** Number of live links (tests, metrics). */
  get size(): number {
    let n = 0;
    for (const subs of this.bySession.values()) n += subs.size;
    return n;
  }

  /** Ends every subscription of a session. */
  dropSession(subscriber: Session): void {
    for (const sub of [...(this.bySession.get(subscriber)?.values() ?? [])]) this.remove(sub);
  }

  private remove(sub: Subscription): void {
    sub.job.sinks.delete(sub);
    const subs = this.bySession.get(sub.subscriber);
    if (!subs) return;
    subs.delete(sub.job.jobId);
    if (subs.size === 0) {
      this.bySession.delete(sub.subscriber);
      this.unwatch.get(sub.subscriber)?.();
      this.unwatch.delete(sub.subscriber);
    }
  }

  // §7.6 / catalog §6.8: subscriptions end when the subscriber session closes. A mere transport
  // drop (detached, resumable) keeps them: events are buffered for the resume like any other.
  private watch(session: Session): void {
    const off = session.machine.onTransition((_from, _event, to) => {
      if (to === 'closing' || to === 'terminated') this.dropSession(session);
    });
    this.unwatch.set(session, off);
  }
}
