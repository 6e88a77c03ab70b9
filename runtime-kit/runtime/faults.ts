// Test-only fault injection (for the conformance harness's self-test: every fault below must be
// caught by at least one conformance check). A runtime built without `faults` pays one
// `Set.has` on an empty set at each injection point and nothing else.

/** Each fault breaks exactly one MUST of the spec, at one place in the runtime. */
export const FAULTS = {
  /** §8.3: event_seq jumps by 2 every few events (a gap). */
  'seq-skip': 'allocate event_seq + 2 for every 5th sequenced envelope',
  /** §8.3: event_seq repeats (not strictly monotonic). */
  'seq-repeat': 're-use the previous event_seq for every 5th sequenced envelope',
  /** §6.3: resume replays from last_event_seq + 2 (drops the first missed event). */
  'resume-off-by-one': 'resume replay skips the first event after last_event_seq',
  /** §6.3/§8.3: events emitted while no transport is attached are not buffered. */
  'drop-while-away': 'events emitted while the client is disconnected are lost',
  /** §6.3: a resume token stays valid after it was used. */
  'resume-token-reuse': 'a used resume token is accepted again',
  /** §6.3: the welcome after a resume re-issues the same token. */
  'resume-token-not-rotated': 'session.welcome re-issues the previous resume token',
  /** §7.3: a job emits two terminal envelopes. */
  'double-terminal': 'every job emits its terminal envelope twice',
  /** §6.7: session.close / session.bye cancel the session's running jobs. */
  'close-kills-jobs': 'closing a session cancels its in-flight jobs',
  /** §6.2: a feature outside the negotiated set is used (progress is always emitted). */
  'feature-outside-negotiated': 'progress/result_chunk events are sent even when not negotiated',
  /** §7.4: an agent that returns normally after cancel wins with job.result success. */
  'cancel-ignored': 'after job.cancel, an agent returning normally ends in job.result success',

  // Authority layer (issue 4), applied in enforcement/ and subscriptions/.
  /** §9.2: `*` matches across `/` (every lone `*` widened to `**`). */
  'glob-star-crosses-slash': 'lease globs treat * like ** (matches across /)',
  /** §9.5: the lease's expires_at is never enforced. */
  'ignore-expires-at': 'operations after lease_constraints.expires_at are still allowed',
  /** §9.6: costs are rounded to binary32, so exact decimal budgets drift. */
  'budget-float-drift': 'budget arithmetic uses float32 instead of decimals',
  /** §12: LEASE_EXPIRED is sent with retryable true. */
  'lease-expired-retryable': 'LEASE_EXPIRED errors carry retryable: true',
  /** §7.6/§14: credentials reach an observer who is not the submitter. */
  'leak-credentials-to-observer': 'job.subscribed / listings include credentials for non-submitters',
  /** §6.6: listings include jobs of principals the caller may not observe. */
  'list-other-principal': 'session.list_jobs lists every principal\'s jobs',
  /** §7.6/§14: a subscriber's job.cancel is honoured (subscription confers cancel authority). */
  'subscriber-can-cancel': 'a subscribed session may cancel the job',
} as const;

export type FaultName = keyof typeof FAULTS;

export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

/** The active faults of one runtime; `has` is the only thing the hot path calls. */
export class FaultSet {
  private readonly active: ReadonlySet<FaultName>;

  constructor(faults?: Iterable<FaultName>) {
    const set = new Set<FaultName>();
    for (const f of faults ?? []) {
      if (!(f in FAULTS)) throw new TypeError(`unknown fault "${String(f)}"; known: ${FAULT_NAMES.join(', ')}`);
      set.add(f);
    }
    this.active = set;
  }

  has(fault: FaultName): boolean {
    return this.active.size !== 0 && this.active.has(fault);
  }

  get any(): boolean {
    return this.active.size !== 0;
  }
}
