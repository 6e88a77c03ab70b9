// What handlers and jobs see of the runtime (implemented by ARCPRuntime). Keeping this an
// interface lets handler modules be written and tested without the runtime class.
import type { ArcpMessage, Feature } from '../../generated/index.js';
import type { AgentRegistry } from './agent-registry.js';
import type { Authenticator } from './authenticator.js';
import type { Connection } from './connection.js';
import type { DispatchTable } from './dispatch.js';
import type { EventStore } from './event-store.js';
import type { RuntimeHooks } from './hooks.js';
import type { IdempotencyStore } from './idempotency.js';
import type { KeyedJob } from './keyed-job.js';
import type { Job } from './job.js';
import type { JobRegistry } from './job-registry.js';
import type { JobRunner } from './job-runner.js';
import type { ResolvedOptions } from './options.js';
import type { Session } from './session.js';
import type { SessionRegistry } from './session-registry.js';
import type { Clock } from './timers.js';
import type { RuntimeGuard } from './limits/runtime-guard.js';
import type { StoreBinding } from './persistence/store-binding.js';

export interface RuntimeCore {
  readonly options: ResolvedOptions;
  readonly timers: Clock;
  readonly store: EventStore;
  readonly agents: AgentRegistry;
  readonly sessions: SessionRegistry;
  readonly jobs: JobRegistry;
  readonly runner: JobRunner;
  readonly idempotency: IdempotencyStore<KeyedJob>;
  readonly authenticator: Authenticator;
  readonly hooks: RuntimeHooks;
  readonly dispatch: DispatchTable;
  /** Connection caps and authentication rate limits (limits/, issue 13). */
  readonly guard: RuntimeGuard;
  /** The durable store binding (issue 12), when the runtime was given a `store`. */
  readonly persistence?: StoreBinding | undefined;
  /** Features this runtime advertises before intersection (§6.2). */
  advertisedFeatures(): readonly Feature[];
  /** Outbound encoder (strict validation when `validateOutbound`). */
  encode(msg: ArcpMessage): string;
  /** Creates and registers a session for an authenticated principal (taking over the connection's `opening` machine). */
  createSession(principal: string, features: ReadonlySet<Feature>, sessionId: string, machine?: Session['machine']): Session;
  connectionClosed(connection: Connection): void;
}
