// Which check must catch each runtime fault (runtime-kit/runtime/faults.ts). Every fault the
// runtime defines must be listed here: an unmapped fault fails faults.test.ts, so a new fault can
// never land without the harness proving it is caught.
//
// Issue 5 lists 15 faults. Part 1 of the runtime defines the first ten below; the part-2 names are
// the ones we expect (authority wiring): when runtime-kit adds them under other names, rename the
// key here — the catching checks already exist.
export const FAULT_CATCHERS: Readonly<Record<string, readonly string[]>> = {
  // runtime part 1
  'seq-skip': ['8.3/seq/gap-free-concurrent', '8.3/seq/random-concurrent-jobs'],
  'seq-repeat': ['8.3/seq/gap-free-concurrent', '8.3/seq/random-concurrent-jobs'],
  'resume-off-by-one': ['6.3/resume/replay-from-earlier-position', '6.3/resume/random-drops'],
  'drop-while-away': ['6.3/resume/replays-missed-events', '6.3/resume/random-drops'],
  'resume-token-reuse': ['6.3/resume/token-single-use'],
  'resume-token-not-rotated': ['6.3/resume/token-rotates'],
  'double-terminal': ['7.3/terminal/exactly-one', '8.3/seq/random-concurrent-jobs'],
  'close-kills-jobs': ['6.7/close/jobs-survive'],
  'feature-outside-negotiated': ['6.2/negotiation/progress-only-if-negotiated', '6.2/negotiation/random-subsets'],
  'cancel-ignored': ['7.4/cancel/terminal-is-cancelled'],
  // runtime part 2 (authority)
  'glob-star-crosses-slash': ['9.2/glob/star-is-one-segment', '9.3/lease/random-ops'],
  'ignore-expires-at': ['9.5/expiry/ops-after-expiry-fail'],
  'budget-float-drift': ['9.6/budget/exact-decimal', '9.6/budget/random-costs'],
  'lease-expired-retryable': ['9.5/expiry/ops-after-expiry-fail'],
  'leak-credentials-to-observer': ['9.8/credentials/redacted-for-non-submitters'],
  // named in issue 5 but not (yet) a runtime fault: the catching checks exist already
  'list-other-principal': ['6.6/list/other-principal-hidden'],
  'subscriber-can-cancel': ['7.6/subscribe/no-cancel-authority'],
};

/** Faults that need a non-default in-process configuration to be observable. */
export const FAULT_TARGET_OPTIONS: Readonly<Record<string, { observers?: 'b-observes-a' }>> = {
  // redaction can only be violated towards an observer allowed to see the job at all
  'leak-credentials-to-observer': { observers: 'b-observes-a' },
};
