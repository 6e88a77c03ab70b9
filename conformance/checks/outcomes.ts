// Typed throwables a check uses to end with a verdict other than `pass`. Anything else thrown
// out of a check is graded `errored` (a harness bug or a peer crash), never `fail`.

/** The peer broke the requirement the check tests. */
export class Violation extends Error {
  override readonly name = 'Violation';
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

/** Throws a Violation unless `cond` holds. */
export function require_(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Violation(message);
}
