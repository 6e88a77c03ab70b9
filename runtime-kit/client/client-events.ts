/**
 * Session-level notifications an application may observe besides its job handles. Listener
 * errors are swallowed so one bad observer cannot break frame dispatch.
 */
import type { Credential, JobEvent, WelcomeInfo } from './types.js';

export interface ClientEventMap {
  /** Every job event, for any job (including jobs this client has no handle for). */
  event: JobEvent;
  /**
   * Credentials issued (job.accepted) or rotated (`status credential_rotated`) for a job, at the
   * moment they arrive: the handle forgets values at the terminal, so printers that must redact
   * them (arcp submit) learn them here, whatever the order in which they read the handle.
   */
  credentials: { jobId: string; credentials: Credential[] };
  /** A `session.error` (also delivered to the request it correlates with, if any). */
  sessionError: Error;
  /** A frame that could not be decoded or validated; it was dropped. */
  protocolError: Error;
  /** HEARTBEAT_LOST detected locally (no inbound frame for two intervals, §6.4). */
  heartbeatLost: Error;
  /** An unexpected `event_seq` jump (§8.3); a resume follows when one is possible. */
  gap: { expected: number; got: number };
  /** The transport dropped while the session was open. */
  disconnected: { reason?: string; error?: Error };
  /** An automatic or manual resume succeeded. */
  resumed: WelcomeInfo;
}

type Listener<T> = (value: T) => void;

export class ClientEvents {
  private readonly listeners = new Map<keyof ClientEventMap, Set<Listener<any>>>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof ClientEventMap>(name: K, fn: Listener<ClientEventMap[K]>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(fn);
    return () => set!.delete(fn);
  }

  has(name: keyof ClientEventMap): boolean {
    return (this.listeners.get(name)?.size ?? 0) > 0;
  }

  emit<K extends keyof ClientEventMap>(name: K, value: ClientEventMap[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const fn of set) {
      try {
        fn(value);
      } catch {
        // an observer's bug must not break dispatch
      }
    }
  }
}
