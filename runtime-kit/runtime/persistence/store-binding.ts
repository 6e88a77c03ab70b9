// The one place the runtime meets its RuntimeStore (issue 12). The runtime keeps its in-memory
// structures (they answer every synchronous question on the hot path); this binding journals
// what must survive into the store and puts it back at start-up (restore.ts):
//   - the session resume buffer -> JournaledEventStore (frames held back until durable);
//   - session records (principal, features, token hash, activity) -> sessionChanged();
//   - job records -> the JobRegistry observer; job history -> JournaledJobHistory;
//   - idempotency keys -> JournaledIdempotencyStore; the audit log -> a journaling AuditSink.
import { createAuditSink, type AuditRecord, type AuditSink } from '../audit/audit-log.js';
import type { AuthorityRuntimeOptions } from '../enforcement/authority-options.js';
import type { EventStore } from '../event-store.js';
import type { IdempotencyStoreOptions } from '../idempotency.js';
import type { KeyedJob } from '../keyed-job.js';
import type { Job } from '../job.js';
import type { JobRegistryObserver } from '../job-registry.js';
import type { RuntimeLogger } from '../options.js';
import type { Session, SessionObserver } from '../session.js';
import type { JobHistory } from '../subscriptions/job-history.js';
import type { Clock } from '../timers.js';
import type { RuntimeStore } from '../../store/runtime-store.js';
import { JournaledEventStore } from './journaled-event-store.js';
import { JournaledIdempotencyStore } from './journaled-idempotency.js';
import { JournaledJobHistory } from './journaled-job-history.js';
import { jobRecord, sessionRecord, tokenHash } from './records.js';
import type { RuntimeCore } from '../core.js';
import { ClusterBinding } from './cluster/cluster-binding.js';
import { restoreFromStore } from './restore.js';

export interface StoreBindingOptions {
  store: RuntimeStore;
  /** The in-memory resume buffer the journal mirrors. */
  events: EventStore;
  history: JobHistory;
  idempotencyTtlMs: number;
  /** The key budgets and when a key's job has ended (idempotency.ts). */
  idempotency: IdempotencyStoreOptions<KeyedJob>;
  clock: Clock;
  logger: RuntimeLogger;
}

export class StoreBinding implements SessionObserver, JobRegistryObserver {
  readonly store: RuntimeStore;
  readonly events: JournaledEventStore;
  readonly history: JournaledJobHistory;
  readonly idempotency: JournaledIdempotencyStore;
  /** Restored sessions whose token is known only by its hash until a client presents it. */
  readonly restoredTokens = new Map<string, string>();
  /** While restoring, observers stay quiet: the store already holds what is being rebuilt. */
  quiet = false;
  /** Cluster mode: the store is shared by several nodes (it has a bus). */
  cluster: ClusterBinding | undefined;
  private readonly clock: Clock;

  constructor(opts: StoreBindingOptions) {
    this.store = opts.store;
    this.clock = opts.clock;
    this.events = new JournaledEventStore(opts.events, opts.store);
    this.history = new JournaledJobHistory(opts.history, opts.store);
    this.idempotency = new JournaledIdempotencyStore(opts.idempotencyTtlMs, opts.store, opts.idempotency);
  }

  /** Attach, detach, close and every welcome (token rotation, re-negotiated features). */
  sessionChanged(session: Session): void {
    if (this.quiet || session.expired || session.redirect) return;
    const pendingHash = this.restoredTokens.get(session.id);
    this.store.saveSession(sessionRecord(session, this.clock.now(), pendingHash ?? tokenHash(session.resumeToken), this.nodeId));
  }

  jobAdded(job: Job): void {
    if (!this.quiet) this.store.saveJob(jobRecord(job, this.clock.now(), this.nodeId));
  }

  jobEnded(job: Job): void {
    if (!this.quiet) this.store.saveJob(jobRecord(job, this.clock.now(), this.nodeId));
  }

  /** Queued before the event that reports the cost, so whoever saw that cost can read it here. */
  jobBudgetChanged(job: Job): void {
    if (!this.quiet && !job.isTerminal) this.store.saveJob(jobRecord(job, this.clock.now(), this.nodeId));
  }

  jobForgotten(jobId: string): void {
    this.store.deleteJob(jobId);
  }

  /** Wraps the configured audit sink so every record is also journaled. */
  auditSink(inner: AuditSink): AuditSink {
    const store = this.store;
    return {
      write(record: AuditRecord): void {
        inner.write(record);
        store.appendAudit(record);
      },
    };
  }

  /**
   * Before a resume looks the session up: a restored session learns its token once a client
   * presents the one whose hash was stored (the token itself is never stored).
   */
  prepareResume(sessionId: string | undefined, presentedToken: string, session: Session | undefined, principal?: string): Promise<void> | undefined {
    if (sessionId === undefined) return undefined;
    if (session === undefined) {
      // Held by another node (or by nobody since its node died): claim it, then check the token.
      // A claim that fails (unknown session, wrong token, another claimant) is final: the resume
      // is refused. Claiming again would loop, and on a closed store the rejections come back
      // without I/O, so the loop would starve the event loop and close() would never end.
      return this.cluster
        ?.claim(sessionId, presentedToken, principal)
        .catch(() => undefined) // the store is unreachable: refused like an unknown session
        .then((claimed) => {
          if (claimed) this.learnToken(sessionId, presentedToken, claimed);
        });
    }
    this.learnToken(sessionId, presentedToken, session);
    return undefined;
  }

  private learnToken(sessionId: string, presentedToken: string, session: Session): void {
    const hash = this.restoredTokens.get(sessionId);
    if (hash === undefined || tokenHash(presentedToken) !== hash) return;
    this.restoredTokens.delete(sessionId);
    session.resumeToken = presentedToken;
  }

  get nodeId(): string | undefined {
    return this.store.bus?.nodeId;
  }

  /** Single node: restore what a previous process left. Cluster: join the other nodes. */
  async start(core: RuntimeCore, opts: { jobRetentionMs: number }): Promise<Record<string, unknown>> {
    const store = this.store;
    if (store.bus) {
      this.cluster = new ClusterBinding(core, this, store as RuntimeStore & { bus: NonNullable<RuntimeStore['bus']> });
      this.cluster.start();
      return { node_id: store.bus.nodeId };
    }
    return { ...(await restoreFromStore(core, this, opts)) };
  }

  stop(): void {
    this.cluster?.stop();
  }
}

/**
 * The authority-layer options with the journaling history and audit sink swapped in, and the
 * store offered for the credential revocation ledger (used when durable and no file is given).
 */
export function withJournaledAuthority<O extends AuthorityRuntimeOptions>(binding: StoreBinding, opts: O, onAuditError: (err: unknown) => void): O {
  return { ...opts, jobHistory: binding.history, auditLog: binding.auditSink(createAuditSink(opts.auditLog, onAuditError)), revocationStore: binding.store };
}
