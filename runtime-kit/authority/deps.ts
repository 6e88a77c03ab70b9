// The one place where authority/ touches its neighbours (errors/, protocol/, generated/), so
// the rest of the area imports from here only.

export type { Lease, LeaseConstraints, MetricBody, Credential, CredentialConstraints, ErrorCode } from '../../generated/types.js';
export { RESERVED_CAPABILITIES } from '../../generated/registry.js';
export { ARCPError, arcpError, KitError } from '../errors/index.js';

import type { Clock } from '../protocol/clock.js';

/** What authority/ needs of the protocol Clock: wall epoch ms and monotonic ms (no timers). */
export type AuthorityClock = Pick<Clock, 'now' | 'monotonic'>;
