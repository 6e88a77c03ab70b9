// A stand-in owner Session for a job known only from its record (a restored job whose session
// is gone, a job running on another node): it carries the owner's id and principal for scope
// checks and listings, is never registered, and its output goes nowhere (it is terminated).
import type { Feature } from '../../../generated/index.js';
import type { RuntimeCore } from '../core.js';
import { MemoryEventStore } from '../memory-event-store.js';
import { mintResumeToken } from '../session-registry.js';
import { Session } from '../session.js';

export function detachedOwner(core: RuntimeCore, sessionId: string, principal: string): Session {
  const session = new Session(sessionId, principal, new Set<Feature>(), mintResumeToken(), {
    store: new MemoryEventStore({ maxEventsPerSession: 1 }),
    timers: core.timers,
    options: core.options,
    encode: (m) => core.encode(m),
  });
  session.detach();
  session.terminate();
  return session;
}
