// client/: the embeddable ARCP client (contracts.md §3 "runtime/ and client/ public names").
export { ARCPClient } from './client.js';
export { JobHandle, type HandleRole } from './job-handle.js';
export type { SubscribeResult } from './subscription.js';
export type { ClientEventMap } from './client-events.js';
export { ALL_FEATURES } from './handshake.js';
export type {
  ARCPClientOptions,
  AgentInventoryEntry,
  AutoAckOptions,
  ClientInfo,
  Credential,
  FinalStatus,
  JobStatus,
  EventBodies,
  EventKind,
  JobEvent,
  JobEventBase,
  ReservedJobEvent,
  VendorJobEvent,
  JobListing,
  JobResult,
  JobSummary,
  Lease,
  LeaseConstraints,
  LeaseConstraintsInput,
  ListJobsFilter,
  ListJobsOptions,
  ResumeForm,
  ResumeOptions,
  SubmitOptions,
  SubscribeOptions,
  WelcomeInfo,
} from './types.js';
