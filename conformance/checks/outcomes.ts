// Typed throwables a check uses to end with a verdict other than `pass`. Anything else thrown
// out of a check is graded `errored` (a harness bug or a peer crash), never `fail`.

/**
 * Which frame shows the violation, so reports mark it instead of guessing from the message:
 * `frame` is a peer frame the check read (the parsed object the driver handed it); `unanswered`
 * is a request of the harness the peer never answered (the violation is an absence).
 */
export interface Evidence {
  readonly frame?: object;
  readonly unanswered?: object;
}

/** The peer broke the requirement the check tests. */
export class Violation extends Error {
  override readonly name = 'Violation';
  readonly evidence: Evidence | undefined;
  constructor(message: string, evidence?: Evidence) {
    super(message);
    this.evidence = evidence;
  }
}

/** The check cannot run with this configuration (e.g. no second principal token). */
export class Skip extends Error {
  override readonly name = 'Skip';
}

/** The requirement does not apply to this peer (feature not negotiated, agent not hosted). */
export class NotApplicable extends Error {
  override readonly name = 'NotApplicable';
}

/** The harness itself misbehaved (e.g. it built a frame that fails the strict schema). */
export class HarnessError extends Error {
  override readonly name = 'HarnessError';
}

/** The peer closed the transport or stopped answering where the harness needed an answer. */
export class PeerGone extends Error {
  override readonly name = 'PeerGone';
}

/** Throws a Violation unless `cond` holds; `frame` is the peer frame that breaks it, if one does. */
export function require_(cond: unknown, message: string, frame?: object): asserts cond {
  if (!cond) throw new Violation(message, frame ? { frame } : undefined);
}
