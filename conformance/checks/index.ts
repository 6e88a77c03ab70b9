// The check registry: every scenario and property, in spec-section order. Ids are stable;
// adding a check means adding it to one of the section modules listed here.
import { authorityChecks } from './authority.js';
import { cancelChecks } from './cancel.js';
import { controlChecks } from './control.js';
import { credentialChecks } from './credentials.js';
import { delegationChecks } from './delegation.js';
import { eventChecks } from './events.js';
import { jobChecks } from './jobs.js';
import { principalChecks } from './principals.js';
import { resumeChecks } from './resume.js';
import { robustnessChecks } from './robustness.js';
import { sessionChecks } from './session.js';
import { idempotencyProperties } from '../properties/idempotency.js';
import { leaseProperties } from '../properties/leases.js';
import { negotiationProperties } from '../properties/negotiation.js';
import { principalProperties } from '../properties/principals.js';
import { resumeProperties } from '../properties/resume.js';
import { robustnessProperties } from '../properties/robustness.js';
import { sequencingProperties } from '../properties/sequencing.js';
import { sessionModelProperties } from '../properties/session-model.js';
import { matchesAny } from './pattern.js';
import { observerChecks } from './observers.js';
import { budgetBinarySumChecks } from './budget-binary-sums.js';
import { credentialIssueChecks } from './credential-issue.js';
import { delegationChildChecks } from './delegation-child.js';
import { finishedJobChecks } from './finished-jobs.js';
import { gatedPathChecks } from './gated-paths.js';
import { leaseTargetChecks } from './lease-targets.js';
import { negativeHalfChecks } from './negative-halves.js';
import { refusalChecks } from './refusal-closes.js';
import { resultCapChecks } from './result-caps.js';
import { ackRetentionChecks } from './ack-retention.js';
import { existenceOracleChecks } from './existence-oracle.js';
import { historyScopeChecks } from './history-scope.js';
import { heartbeatTimingChecks } from './heartbeat-timing.js';
import { acceptedEchoChecks } from './accepted-echo.js';
import { budgetCurrencyChecks } from './budget-currencies.js';
import { delegationChildBudgetChecks } from './delegation-child-budget.js';
import { progressBoundChecks } from './progress-bounds.js';
import { budgetRefusalFormChecks } from './budget-refusal-form.js';
import { credentialConstraintChecks } from './credential-constraints.js';
import { credentialRotationChecks } from './credential-rotation.js';
import { versionPinningChecks } from './version-pinning.js';
import { expiryGraceChecks } from './expiry-grace.js';
import { credentialTransportChecks } from './credential-transport.js';
import { listingWalkChecks } from './listing-walks.js';
import { subscriptionEdgeChecks } from './subscription-edges.js';
import { resumeCoverageChecks } from './resume-coverage.js';
import { budgetGaugeChecks } from './budget-gauge.js';
import { delegationChildAcceptedChecks } from './delegation-child-accepted.js';
import { flagGateChecks } from './flag-gates.js';
import { operationGateChecks } from './operation-gates.js';
import { declaredLimitChecks } from './declared-limits.js';
import type { CheckDef } from './types.js';

/** Orders ids by their numeric section prefix (`5` < `6.2` < `6.10` < `12`). */
function sectionKey(id: string): number[] {
  return id
    .split('/')[0]
    .split('.')
    .map((n) => Number(n) || 0);
}

function compareIds(a: string, b: string): number {
  const ka = sectionKey(a);
  const kb = sectionKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? -1) - (kb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** All checks, sorted by section (stable within a section: scenarios before properties). */
export const ALL_CHECKS: readonly CheckDef[] = [
  ...robustnessChecks,
  ...sessionChecks,
  ...resumeChecks,
  ...controlChecks,
  ...principalChecks,
  ...jobChecks,
  ...cancelChecks,
  ...eventChecks,
  ...authorityChecks,
  ...delegationChecks,
  ...credentialChecks,
  ...observerChecks,
  // blind spots by class (issue 8 item 2): negative halves, finished jobs, non-canonical targets,
  // the child side of delegation, binary-inexact budgets, refused handshakes, gated kinds on every path
  ...negativeHalfChecks,
  ...finishedJobChecks,
  ...leaseTargetChecks,
  ...delegationChildChecks,
  ...budgetBinarySumChecks,
  ...refusalChecks,
  ...gatedPathChecks,
  ...credentialIssueChecks,
  ...resultCapChecks,
  // bugs found by attacking the harness with faults invented without reading the checks
  ...ackRetentionChecks,
  ...existenceOracleChecks,
  ...historyScopeChecks,
  ...heartbeatTimingChecks,
  ...acceptedEchoChecks,
  // blind spots the §8–§14 faults found: every budget counter, the unbudgeted child, progress <= total
  ...budgetCurrencyChecks,
  ...delegationChildBudgetChecks,
  ...progressBoundChecks,
  // statements no check tested before (issue 8 item 1): version pinning, the refusal form of an
  // exhausted budget, credential constraints (parent and child), rotation, the expiry grace,
  // credentials over a plaintext transport
  ...versionPinningChecks,
  ...budgetRefusalFormChecks,
  ...credentialConstraintChecks,
  ...credentialRotationChecks,
  ...expiryGraceChecks,
  ...credentialTransportChecks,
  // blind spots an independent author's faults found (fault-mutants-attack.ts)
  ...listingWalkChecks,
  ...subscriptionEdgeChecks,
  ...resumeCoverageChecks,
  ...budgetGaugeChecks,
  ...delegationChildAcceptedChecks,
  // blind spots a second independent attack found (fault-mutants-independent-2.ts): what a flag
  // gates besides event kinds, the expiry and budget gates of every kind of operation
  ...flagGateChecks,
  ...operationGateChecks,
  ...declaredLimitChecks,
  ...robustnessProperties,
  ...negotiationProperties,
  ...resumeProperties,
  ...idempotencyProperties,
  ...sequencingProperties,
  ...sessionModelProperties,
  ...leaseProperties,
  ...principalProperties,
].sort((a, b) => compareIds(a.id, b.id));

/** The checks whose id matches any pattern (all when `patterns` is empty). */
export function selectChecks(patterns: readonly string[], checks: readonly CheckDef[] = ALL_CHECKS): CheckDef[] {
  return checks.filter((c) => matchesAny(c.id, patterns));
}

/** The section a check belongs to (first id segment), for grouping in displays and reports. */
export function sectionOf(id: string): string {
  return id.split('/')[0];
}
