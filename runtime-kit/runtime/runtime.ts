// ARCPRuntime: hosts agents and serves ARCP sessions over any Transport (memory, ws, stdio).
import type { ArcpMessage, Feature } from '../../generated/index.js';
import { encodeMessage, systemClock } from '../protocol/index.js';
import {
  serveStdioTransport,
  WebSocketServerTransport,
  type AttachOptions,
  type ListenOptions,
  type Transport,
  type UpgradeServer,
} from '../transport/index.js';
import { AgentRegistry, type RegisterAgentOptions } from './agent-registry.js';
import { StaticTokenAuthenticator, type Authenticator } from './authenticator.js';
import { resolveHooks } from './authority-bridge.js';
import { installAuthorityServices, type AuthorityServices } from './enforcement/authority-services.js';
import { readAuditLog } from './audit/audit-reader.js';
import type { AuditQuery } from './audit/audit-query.js';
import type { AuditRecord } from './audit/audit-log.js';
import { Connection } from './connection.js';
import type { RuntimeCore } from './core.js';
import { DispatchTable, type MessageHandler } from './dispatch.js';
import type { EventStore } from './event-store.js';
import { advertisedFeatures, supportedFeatures } from './features.js';
import { CORE_HANDLERS } from './handlers/index.js';
import type { RuntimeHooks } from './hooks.js';
import { IdempotencyStore } from './idempotency.js';
import { endedJobView, keyedJobEnded, type KeyedJob } from './keyed-job.js';
import type { AgentHandler } from './job-context.js';
import { JobRegistry } from './job-registry.js';
import { JobRunner } from './job-runner.js';
import type { Job } from './job.js';
import { MemoryEventStore } from './memory-event-store.js';
import { resolveOptions, type ResolvedOptions, type RuntimeOptions } from './options.js';
import { mintResumeToken, SessionRegistry } from './session-registry.js';
import { Session } from './session.js';
import { schedule, type Clock, type TimerHandle } from './timers.js';
import { RuntimeGuard } from './limits/runtime-guard.js';
import { BudgetedEventStore } from './limits/budgeted-event-store.js';
import { isUpgradeTrusted, markTransportTrusted } from './transport-trust.js';
import { StoreBinding, withJournaledAuthority } from './persistence/store-binding.js';
import { MemoryJobHistory } from './subscriptions/job-history.js';

export class ARCPRuntime implements RuntimeCore {
  readonly options: ResolvedOptions;
  readonly timers: Clock;
  readonly store: EventStore;
  readonly agents = new AgentRegistry();
  readonly sessions: SessionRegistry;
  readonly jobs: JobRegistry;
  readonly idempotency: IdempotencyStore<KeyedJob>;
  readonly authenticator: Authenticator;
  readonly hooks: ReturnType<typeof resolveHooks>;
  readonly dispatch = new DispatchTable();
  readonly runner: JobRunner;
  readonly guard: RuntimeGuard;
  readonly persistence: StoreBinding | undefined;
  private readonly restored: Promise<void>;
  /** The credential revocation ledger is loaded (a store's is asynchronous); rejects when it cannot be. */
  private readonly ledgerOpened: Promise<void>;
  private readonly authority: AuthorityServices;
  private readonly configuredFeatures: readonly Feature[] | undefined;
  private readonly rawHooks: RuntimeHooks;
  private advertised: Feature[] | undefined;
  private readonly connections = new Set<Connection>();
  private readonly admitted = new Set<Connection>();
  private readonly closeWaiters = new Map<Connection, () => void>();
  private readonly servers = new Set<WebSocketServerTransport>();
  private sweepHandle: TimerHandle | undefined;
  private closing = false;
  private isRestored = false;

  constructor(opts: RuntimeOptions = {}) {
    this.options = resolveOptions(opts);
    this.timers = opts.clock ?? systemClock;
    this.guard = new RuntimeGuard(this.options.limits, this.timers, this.options.maxFrameBytes);
    this.jobs = new JobRegistry(undefined, this.options.limits);
    const events = opts.eventStore ?? new MemoryEventStore({
      ...(opts.maxEventsPerSession !== undefined ? { maxEventsPerSession: opts.maxEventsPerSession } : {}),
      ...(opts.maxBytesPerSession !== undefined ? { maxBytesPerSession: opts.maxBytesPerSession } : {}),
      overflow: opts.overflow ?? 'evict-oldest',
    });
    // Idempotency-key budgets: a key becomes evictable once its job has ended, and then keeps only what a replay needs.
    const keyOptions = { limits: this.options.limits, isFinished: keyedJobEnded, compact: endedJobView };
    // issue 12: with a durable `store`, the in-memory structures are journaled to it (persistence/).
    this.persistence = opts.store
      ? new StoreBinding({
          store: opts.store,
          events,
          history: opts.jobHistory ?? new MemoryJobHistory(),
          idempotencyTtlMs: this.options.idempotencyTtlMs,
          idempotency: keyOptions,
          clock: this.timers,
          logger: this.options.logger,
        })
      : undefined;
    // Cross-session memory budgets on whatever store holds the resume buffers (limits/).
    this.store = new BudgetedEventStore(this.persistence?.events ?? events, this.options.limits, () => this.sessions, this.options.logger);
    this.sessions = new SessionRegistry(this.store);
    this.idempotency = this.persistence?.idempotency ?? new IdempotencyStore<KeyedJob>(this.options.idempotencyTtlMs, keyOptions);
    this.jobs.onEnd = (job) => this.idempotency.jobEnded(job);
    this.authenticator = opts.authenticator ?? new StaticTokenAuthenticator(opts.tokens ?? {});
    this.rawHooks = opts.hooks ?? {};
    this.hooks = resolveHooks(this.rawHooks, opts.modelPolicy ? { modelPolicy: opts.modelPolicy } : {});
    this.configuredFeatures = opts.features;
    this.runner = new JobRunner(this);
    const log = this.options.logger;
    this.authority = installAuthorityServices(this, this.persistence ? withJournaledAuthority(this.persistence, opts, (err) => log('error', 'audit log write failed', { error: String(err) })) : opts); // issue 4: credentials, delegation, expiry, subscriptions
    this.ledgerOpened = this.authority.credentials?.opened ?? Promise.resolve();
    this.ledgerOpened.catch((err) => {
      // §14: no durable revocation, no provisioned_credentials (the welcome is computed after this).
      this.advertised = undefined;
      log('error', 'credential revocation ledger unusable: provisioned_credentials is not advertised', { error: String(err) });
    });
    for (const handler of CORE_HANDLERS) this.dispatch.register(handler);
    if (this.persistence) this.jobs.observer = this.persistence;
    const restoring = this.persistence
      ? this.persistence.start(this, { jobRetentionMs: 60 * 60 * 1000 }).then(
          (r) => log('info', 'restored from the durable store', { ...r, store: opts.store!.kind }),
          (err) => log('error', 'restoring from the durable store failed', { error: String(err) }),
        )
      : undefined;
    // Nobody is served before both are settled: the welcome must know whether revocation is durable.
    this.restored = restoring
      ? Promise.allSettled([restoring, this.ledgerOpened]).then(() => {
          this.isRestored = true;
        })
      : Promise.resolve();
  }

  /**
   * Resolves once state left in the durable `store` by a previous process is restored and the
   * credential revocation ledger is loaded (at once without a store). Rejects with KitError
   * ARCP_KIT_LEDGER_CORRUPT / _UNREADABLE when the store's ledger cannot be read: the runtime
   * then serves without provisioned_credentials (`arcp serve` refuses to start).
   */
  ready(): Promise<void> {
    return this.restored.then(() => this.ledgerOpened);
  }

  /**
   * The §14 subscription audit log, oldest first: from the durable `store` when there is one
   * (records written before a crash included), else from the configured sink (in-memory or
   * `{ file }`). KitError ARCP_KIT_BAD_AUDIT_QUERY for a bad query, ARCP_KIT_AUDIT_UNREADABLE
   * for an embedder's own sink, which this cannot read.
   */
  readAudit(query: AuditQuery = {}): Promise<AuditRecord[]> {
    return readAuditLog(this.persistence?.store ?? this.authority.audit, query);
  }

  /** Hosts an agent (§7.5): `registerAgent('demo.echo', (input) => input, { version: '1.0.0', default: true })`. */
  registerAgent(name: string, handler: AgentHandler, opts: RegisterAgentOptions = {}): this {
    this.agents.register(name, handler, opts);
    return this;
  }

  /** Adds an inbound message handler (e.g. session.list_jobs); call before serving. */
  registerHandler(handler: MessageHandler): this {
    this.dispatch.register(handler);
    this.advertised = undefined;
    return this;
  }

  advertisedFeatures(): readonly Feature[] {
    this.advertised ??= advertisedFeatures(supportedFeatures(this.dispatch, this.hooks), this.configuredFeatures);
    return this.advertised;
  }

  encode(msg: ArcpMessage): string {
    return encodeMessage(msg, { validate: this.options.validateOutbound });
  }

  createSession(principal: string, features: ReadonlySet<Feature>, sessionId: string, machine?: Session['machine']): Session {
    const session = new Session(sessionId, principal, features, mintResumeToken(), {
      store: this.store,
      timers: this.timers,
      options: this.options,
      encode: (m) => this.encode(m),
      ...(this.persistence ? { observer: this.persistence } : {}),
    }, machine);
    this.sessions.add(session);
    return session;
  }

  /** Serves one connected transport; resolves when that transport has closed. */
  accept(transport: Transport): Promise<void> {
    if (this.closing) return transport.close('runtime is shutting down');
    if (this.persistence && !this.isRestored) return this.restored.then(() => this.accept(transport));
    const refusal = this.guard.admitConnection(transport);
    const connection = new Connection(transport, this);
    const closed = new Promise<void>((resolve) => this.closeWaiters.set(connection, resolve));
    this.connections.add(connection);
    this.armSweep();
    connection.start();
    if (refusal) connection.terminate(refusal.error, refusal.closeCode, 'too many connections');
    else this.admitted.add(connection);
    return closed;
  }

  connectionClosed(connection: Connection): void {
    if (this.admitted.delete(connection)) this.guard.releaseConnection(connection.transport);
    this.connections.delete(connection);
    this.closeWaiters.get(connection)?.();
    this.closeWaiters.delete(connection);
  }

  /** Standalone WebSocket server (default 127.0.0.1:7777/arcp). */
  async listen(opts: ListenOptions = {}): Promise<WebSocketServerTransport> {
    const limits = this.options.limits;
    const server = await WebSocketServerTransport.listen({
      maxFrameBytes: this.options.maxFrameBytes,
      upgradeTimeoutMs: limits.handshakeTimeoutMs,
      // Room above the ARCP cap so over-cap clients still get the typed refusal, not a reset.
      maxSockets: limits.maxConnections + 64,
      ...opts,
    });
    this.serve(server);
    return server;
  }

  /** Attaches to an existing http or https server at `opts.path` (default /arcp); adapters/ builds on this. */
  attach(httpServer: UpgradeServer, opts: AttachOptions = {}): WebSocketServerTransport {
    const server = WebSocketServerTransport.attach(httpServer, { maxFrameBytes: this.options.maxFrameBytes, ...opts });
    this.serve(server);
    return server;
  }

  /** Serves one session on this process's stdin/stdout (newline-delimited JSON); `closed` resolves at EOF. */
  serveStdio(): { transport: Transport; closed: Promise<void> } {
    const transport = serveStdioTransport({ maxFrameBytes: this.options.maxFrameBytes });
    return { transport, closed: this.accept(transport) };
  }

  /** Graceful shutdown: stop accepting, close transports. Jobs are not cancelled by close. */
  async close(): Promise<void> {
    this.closing = true;
    this.sweepHandle?.cancel();
    this.sweepHandle = undefined;
    this.persistence?.stop();
    this.authority.credentials?.stop();
    await Promise.all([...this.servers].map((s) => s.close()));
    this.servers.clear();
    this.runner.flushPending(); // accepted emits still queued go out (or into the store) first
    await Promise.all([...this.connections].map((c) => c.close('runtime shutting down')));
    this.connections.clear();
    await this.persistence?.store.flush();
  }

  private serve(server: WebSocketServerTransport): void {
    this.servers.add(server);
    server.onConnection((transport, { request }) => {
      if (isUpgradeTrusted(request, this.options.plainLoopbackCredentials)) markTransportTrusted(transport);
      void this.accept(transport);
    });
  }

  // Periodic housekeeping: forget sessions past their resume window, expired idempotency keys
  // and old terminal jobs. One unref'd timer per runtime, re-armed while anything is alive.
  private armSweep(): void {
    if (this.sweepHandle !== undefined || this.closing) return;
    const every = Math.max(1000, Math.min(60_000, this.options.resumeWindowMs / 2));
    this.sweepHandle = schedule(this.timers, () => {
      this.sweepHandle = undefined;
      const now = this.timers.monotonic();
      this.sessions.sweep(now);
      this.jobs.sweep(now);
      this.idempotency.sweep(this.timers.now()); // keys are stamped with wall time
      // Keys and retained jobs outlive their sessions (go-sdk #154/#155): keep sweeping until
      // they are gone too, or an idle runtime would hold them until the next connection.
      if (this.sessions.size > 0 || this.connections.size > 0 || this.idempotency.size > 0 || this.jobs.size > 0) this.armSweep();
    }, every);
  }
}
