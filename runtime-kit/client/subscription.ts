/**
 * The result of `ARCPClient.subscribe` (§7.6): the subscriber's authority descriptor for the
 * job plus a read-only handle whose `events()` carries the (optionally replayed) stream in the
 * subscriber's own seq space.
 */
import type { JobHandle } from './job-handle.js';
import type { JobStatus, Lease } from './types.js';

export interface SubscribeResult {
  jobId: string;
  /** The subscriber's seq at subscription time (catalog §9 #7: subscriber's seq space). */
  subscribedFrom: number;
  /** Whether history was replayed (a Py count is read as non-zero = true, §9 #8). */
  replayed: boolean;
  currentStatus: JobStatus;
  agent: string;
  lease: Lease;
  /** Current budget counters when the lease has `cost.budget`. */
  budget?: Record<string, number>;
  handle: JobHandle;
}
