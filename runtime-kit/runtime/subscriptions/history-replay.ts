// The `history: true` replay of job.subscribe (§7.6), written at the event loop's fair share
// (limits/fair-share.ts) instead of in one go. Issue 13: one 120-byte subscribe re-stamped a
// job's whole history (10,000 events, 5 MB) in the handler's turn, 120 ms of CPU during which
// every other session waited (a ping of another principal: 89 ms); ten in one read held the
// loop 340 ms and buried a reader that read promptly under 16 MiB of output (4508). Now each
// replay takes one frame of the turn's budget per event and waits for the next turn when the
// budget is spent, like agent output; live events of the job that arrive meanwhile queue
// behind the history, so the subscriber's stream keeps the job's order. A session runs at most
// `maxHistoryReplaysPerSession` replays at once: each holds the list of what it has left to
// write, and a burst of subscribes must not make the runtime hold that list once per request.
import type { FairShare } from '../limits/fair-share.js';
import type { Job, SequencedType } from '../job.js';
import type { RuntimeLogger } from '../options.js';
import type { Session } from '../session.js';

export interface ReplayItem {
  readonly type: SequencedType;
  readonly traceId: string | undefined;
  /** Already redacted for this subscriber. */
  readonly payload: unknown;
}

export class HistoryReplay {
  private items: Array<ReplayItem | undefined>;
  private next = 0;
  private running = true;

  constructor(
    private readonly session: Session,
    private readonly job: Job,
    items: ReplayItem[],
    private readonly fair: FairShare,
    private readonly logger: RuntimeLogger,
    private readonly ended: () => void,
  ) {
    this.items = items;
  }

  /** True until everything queued has been written (live events must queue behind it meanwhile). */
  get active(): boolean {
    return this.running;
  }

  get jobId(): string {
    return this.job.jobId;
  }

  /** job.unsubscribe: nothing more of it is written (a pump already waiting for a turn ends it). */
  stop(): void {
    this.items = [];
    this.next = 0;
  }

  /** Output of the job that arrived while the history is still being written: goes after it. */
  push(item: ReplayItem): void {
    this.items.push(item);
  }

  /** Writes what this turn's budget allows, then continues on later turns. */
  readonly pump = (): void => {
    while (this.next < this.items.length && !this.session.expired) {
      if (!this.fair.tryTake()) {
        void this.fair.wait().then(this.pump);
        return;
      }
      const item = this.items[this.next]!;
      this.items[this.next++] = undefined; // written: let it be collected
      try {
        this.session.emitSequenced(item.type, this.job.jobId, item.traceId, item.payload);
      } catch (err) {
        this.logger('error', 'could not replay an event to a subscriber', { job_id: this.job.jobId, session_id: this.session.id, error: String(err) });
      }
    }
    this.running = false;
    this.items = [];
    this.ended();
  };
}

/** The replays under way, per session, and their cap. */
export class HistoryReplays {
  private readonly active = new Map<Session, Set<HistoryReplay>>();

  constructor(
    private readonly fair: FairShare,
    private readonly maxPerSession: number,
    private readonly logger: RuntimeLogger,
  ) {}

  /** True when `session` may start another replay now. */
  hasRoom(session: Session): boolean {
    return (this.active.get(session)?.size ?? 0) < this.maxPerSession;
  }

  get max(): number {
    return this.maxPerSession;
  }

  /** A replay of `items` into `session`, not yet started (call `pump()` once its live link is in place). */
  create(session: Session, job: Job, items: ReplayItem[]): HistoryReplay {
    let replays = this.active.get(session);
    if (!replays) this.active.set(session, (replays = new Set()));
    const replay: HistoryReplay = new HistoryReplay(session, job, items, this.fair, this.logger, () => {
      replays.delete(replay);
      if (replays.size === 0) this.active.delete(session);
    });
    replays.add(replay);
    return replay;
  }

  /** job.unsubscribe: the session's replays of that job stop where they are (§7.6 "cancel a subscription"). */
  stop(session: Session, jobId: string): void {
    for (const replay of this.active.get(session) ?? []) if (replay.jobId === jobId) replay.stop();
  }
}
