// runtime/: ARCPRuntime and its pieces (sessions, jobs, JobContext, event store, resume).
export { ARCPRuntime } from './runtime.js';
export type { RuntimeOptions, RuntimeLogger } from './options.js';
export type * from './instrumentation/types.js';
export { formatTraceparent, parseTraceparent, TRACECONTEXT_EXTENSION, type TraceParent } from './instrumentation/trace-context.js';
export type { AgentHandler, JobContext, LogLevel, MetricOptions, ProgressOptions } from './job-context.js';
export type { ResultStream } from './result-stream.js';
export { AgentRegistry, type RegisterAgentOptions, type ResolvedAgent } from './agent-registry.js';
export { parseAgentRef, formatAgentRef, type AgentRef } from './agent-ref.js';
export { StaticTokenAuthenticator, type Authenticator, type Authenticated, type BearerCredential } from './authenticator.js';
export { JwtAuthenticator, type JwtAuthenticatorOptions } from './jwt-authenticator.js';
export { EventStoreFullError, EVENT_STORE_FULL, type EventStore, type EventStoreStats, type OverflowPolicy, type StoredEvent } from './event-store.js';
export { MemoryEventStore, type MemoryEventStoreOptions } from './memory-event-store.js';
export type { Decision, JobAuthorityLike, JobInfo, RuntimeHooks, SubmitInfo } from './hooks.js';
export { passThroughAuthority, type AuthorityDefaults } from './authority-bridge.js';
export type { HandlerContext, MessageHandler } from './dispatch.js';
export type { RuntimeCore } from './core.js';
export type { Job, JobSink } from './job.js';
export type { Session } from './session.js';
// Authority layer (issue 4): options, services (audit, subscriptions, credentials, delegation), sinks.
export type { AuthorityRuntimeOptions } from './enforcement/authority-options.js';
export { authorityServicesOf, type AuthorityServices } from './enforcement/authority-services.js';
export { MemoryAuditSink, JsonLinesAuditSink, type AuditRecord, type AuditSink } from './audit/audit-log.js';
export type { SubscribePolicy, ObserveRequest } from './subscriptions/subscribe-policy.js';
export type { DelegateRequest, DelegateOutcome } from './delegation/delegation-service.js';
