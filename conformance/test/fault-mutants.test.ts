// The harness proves its own power on faults that live outside the product: every fault of
// fault-mutants.ts (a source mutation of a scratch copy of runtime-kit) must be caught by a check
// at its grade (MUST: the check fails; a SHOULD statement no MUST shows: its SHOULD check warns),
// while the same mutant with no fault switched on passes those checks. The kill rate is printed;
// anything below 100% fails.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../checks/index.js';
import { runConformance } from '../index.js';
import { STATEMENTS } from '../statements/statements.js';
import { FAULTS } from './fault-mutants.js';
import { applyMutations, disposeMutants, faultyTarget } from './fault-scratch.js';

import { budgetBinarySumChecks } from '../checks/budget-binary-sums.js';
import { credentialIssueChecks } from '../checks/credential-issue.js';
import { delegationChildChecks } from '../checks/delegation-child.js';
import { finishedJobChecks } from '../checks/finished-jobs.js';
import { gatedPathChecks } from '../checks/gated-paths.js';
import { leaseTargetChecks } from '../checks/lease-targets.js';
import { negativeHalfChecks } from '../checks/negative-halves.js';
import { refusalChecks } from '../checks/refusal-closes.js';
import { resultCapChecks } from '../checks/result-caps.js';
import { ackRetentionChecks } from '../checks/ack-retention.js';
import { existenceOracleChecks } from '../checks/existence-oracle.js';
import { historyScopeChecks } from '../checks/history-scope.js';
import { heartbeatTimingChecks } from '../checks/heartbeat-timing.js';
import { acceptedEchoChecks } from '../checks/accepted-echo.js';
import { budgetCurrencyChecks } from '../checks/budget-currencies.js';
import { delegationChildBudgetChecks } from '../checks/delegation-child-budget.js';
import { listingWalkChecks } from '../checks/listing-walks.js';
import { subscriptionEdgeChecks } from '../checks/subscription-edges.js';
import { resumeCoverageChecks } from '../checks/resume-coverage.js';
import { budgetGaugeChecks } from '../checks/budget-gauge.js';
import { delegationChildAcceptedChecks } from '../checks/delegation-child-accepted.js';
import { flagGateChecks } from '../checks/flag-gates.js';
import { operationGateChecks } from '../checks/operation-gates.js';
import { declaredLimitChecks } from '../checks/declared-limits.js';

/** Checks added for issue 8 item 2 and by attacking the harness: each must be the first catcher of at least one fault. */
const NEW_CHECKS = [...negativeHalfChecks, ...finishedJobChecks, ...leaseTargetChecks, ...delegationChildChecks, ...budgetBinarySumChecks, ...refusalChecks, ...gatedPathChecks, ...credentialIssueChecks, ...resultCapChecks, ...ackRetentionChecks, ...existenceOracleChecks, ...historyScopeChecks, ...heartbeatTimingChecks, ...acceptedEchoChecks, ...budgetCurrencyChecks, ...delegationChildBudgetChecks, ...listingWalkChecks, ...subscriptionEdgeChecks, ...resumeCoverageChecks, ...budgetGaugeChecks, ...delegationChildAcceptedChecks, ...flagGateChecks, ...operationGateChecks];

const caught = new Map<string, string>();
afterAll(async () => {
  await disposeMutants();
  const killed = [...caught.values()].filter((v) => v === 'caught').length;
  const should = FAULTS.filter((f) => f.grade === 'SHOULD').length;
  process.stdout.write(`fault kill rate: ${killed} of ${caught.size} faults run caught at their grade (catalogue: ${FAULTS.length} faults, ${should} of them SHOULD-graded)\n`);
});

describe('fault catalogue', () => {
  it('every fault names an existing statement and existing checks at its grade that test it', () => {
    const checks = new Map(ALL_CHECKS.map((c) => [c.id, c]));
    const names = new Set<string>();
    for (const f of FAULTS) {
      expect(names.has(f.name), `duplicate fault ${f.name}`).toBe(false);
      names.add(f.name);
      const statement = STATEMENTS.find((s) => s.id === f.statement);
      expect(statement, `${f.name}: statement ${f.statement}`).toBeDefined();
      // a SHOULD grade only for a SHOULD statement
      if (f.grade === 'SHOULD') expect(statement?.keyword, `${f.name}: graded SHOULD`).toMatch(/^SHOULD/);
      expect(f.catchers.length, f.name).toBeGreaterThan(0);
      for (const id of f.catchers) {
        expect(checks.get(id)?.level, `${f.name}: catcher ${id}`).toBe(f.grade ?? 'MUST');
        // a warning proves a SHOULD fault only from a check of that very statement
        if (f.grade === 'SHOULD') expect(checks.get(id)?.statements, `${f.name}: catcher ${id} names ${f.statement}`).toContain(f.statement);
      }
    }
  });

  it('every mutation still applies to the product source exactly once', () => {
    const root = new URL('../../', import.meta.url);
    expect(() => applyMutations((f) => readFileSync(new URL(f, root), 'utf8'))).not.toThrow();
  });

  it('every MUST check added for the blind spots is the first catcher of some fault', () => {
    // interop-graded checks (catalog positions) cannot be catchers: a fault must fail a MUST.
    const firsts = new Set(FAULTS.map((f) => f.catchers[0]));
    expect(NEW_CHECKS.filter((c) => c.level === 'MUST' && !firsts.has(c.id)).map((c) => c.id)).toEqual([]);
  });

  it('every check of a declared limit (§14, SHOULD) is the first catcher of some fault', () => {
    const firsts = new Set(FAULTS.map((f) => f.catchers[0]));
    expect(declaredLimitChecks.filter((c) => !firsts.has(c.id)).map((c) => c.id)).toEqual([]);
  });
});

describe('the mutant with every switch off behaves like the product', () => {
  it('passes every first catcher', async () => {
    const only = [...new Set(FAULTS.map((f) => f.catchers[0]))].join(',');
    const result = await runConformance({ peer: await faultyTarget(undefined), only, seed: 1234, runs: 6, output: 'silent' });
    const bad = result.verdicts.filter((v) => v.outcome !== 'pass' && v.outcome !== 'skipped');
    expect(bad.map((v) => `${v.id}: ${v.outcome} ${v.message ?? ''}`)).toEqual([]);
    // ~30 s alone (timed checks: window expiry, heartbeat loss, the idle deadline); more beside a full npm test
  }, 180_000);

  it('passes them with b-observes-a too (the credential fault\'s setting)', async () => {
    const only = FAULTS.filter((f) => f.target?.observers).map((f) => f.catchers[0]).join(',');
    const result = await runConformance({ peer: await faultyTarget(undefined, { observers: 'b-observes-a' }), only, seed: 1234, runs: 6, output: 'silent' });
    expect(result.verdicts.map((v) => `${v.id}: ${v.outcome}`)).toEqual(result.verdicts.map((v) => `${v.id}: pass`));
  });

  it('passes them under --profile spec too (the faults whose catcher needs it)', async () => {
    const only = FAULTS.filter((f) => f.profile === 'spec').map((f) => f.catchers[0]).join(',');
    const result = await runConformance({ peer: await faultyTarget(undefined), only, profile: 'spec', seed: 1234, runs: 6, output: 'silent' });
    expect(result.verdicts.map((v) => `${v.id}: ${v.outcome}`)).toEqual(result.verdicts.map((v) => `${v.id}: pass`));
  });
});

describe('every fault is caught by its check, at its grade', () => {
  for (const fault of FAULTS) {
    it(`${fault.name} (${fault.statement}) is caught by ${fault.catchers[0]}`, async () => {
      const id = fault.catchers[0];
      const should = fault.grade === 'SHOULD';
      const result = await runConformance({ peer: await faultyTarget(fault.name), only: id, seed: 1234, runs: 6, output: 'silent', ...(fault.profile ? { profile: fault.profile } : {}) });
      const v = result.verdicts.find((x) => x.id === id);
      const expected = should ? 'warn' : 'fail';
      caught.set(fault.name, v?.outcome === expected ? 'caught' : (v?.outcome ?? 'missing'));
      expect(v?.outcome, `${fault.name}: ${id} said ${v?.outcome} ${v?.message ?? ''}`).toBe(expected);
      expect(v?.level).toBe(fault.grade ?? 'MUST');
      // a SHOULD warning never fails a run; a MUST failure always does
      expect(result.exitCode).toBe(should ? 0 : 1);
    });
  }
});
