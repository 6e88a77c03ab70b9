// §9.4 lease subsetting: does `child` grant no more than `parent`?
//
// - pattern capabilities (fs.*, net.fetch, tool.call, agent.delegate, model.use, x-vendor.*):
//   present in the parent, each child pattern covered by a parent pattern (pattern-subset.ts);
// - `model.use` absent from the parent counts as "any model" under the 'allow' model policy
//   (§9.7), and as "no model" under 'forbid';
// - `cost.budget`: per currency, child total <= `parentBudget` (the parent's REMAINING budget
//   for delegation, §9.4; the requested total for policy narrowing). A currency the parent
//   does not budget is a violation (catalog §6.14). A parent without any `cost.budget` is
//   unbounded, so any child budget narrows it.
// - Widening by omission: a child that does not budget every currency the parent budgets (no
//   `cost.budget` at all, `[]`, or only some currencies), or has no `model.use` under a
//   restricted parent with the 'allow' policy, would be unbounded there. Callers that inherit
//   (delegation) fill those in first; what is left is reported as a violation.

import type { Decimal } from 'decimal.js';
import { sumBudgetAmounts } from './budget-amount.js';
import { patternsCovered } from './pattern-subset.js';
import type { Lease } from './deps.js';

export type ModelPolicy = 'forbid' | 'allow';

export interface SubsetOptions {
  /** Per-currency ceiling; undefined when the parent has no `cost.budget`. */
  parentBudget?: ReadonlyMap<string, Decimal>;
  modelPolicy: ModelPolicy;
}

/** The first reason `child` is not a subset of `parent`, or undefined when it is. */
export function leaseSubsetViolation(parent: Lease, child: Lease, opts: SubsetOptions): string | undefined {
  for (const [capability, patterns = []] of Object.entries(child)) {
    if (capability === 'cost.budget') {
      if (opts.parentBudget === undefined) continue;
      for (const [currency, amount] of sumBudgetAmounts(patterns)) {
        const ceiling = opts.parentBudget.get(currency);
        if (ceiling === undefined) return `cost.budget: the parent has no ${currency} budget`;
        if (amount.gt(ceiling)) return `cost.budget: ${currency} ${amount.toFixed()} exceeds the parent's ${ceiling.toFixed()}`;
      }
      continue;
    }
    const parentPatterns = parent[capability];
    if (parentPatterns === undefined) {
      if (capability === 'model.use' && opts.modelPolicy === 'allow') continue;
      return `${capability}: not granted to the parent`;
    }
    if (!patternsCovered(parentPatterns, patterns)) return `${capability}: a pattern is not covered by the parent`;
  }
  if (opts.parentBudget !== undefined) {
    // A currency the child does not budget is unbounded for it: widening, whatever the rest says.
    const childTotals = sumBudgetAmounts(child['cost.budget'] ?? []);
    for (const currency of opts.parentBudget.keys()) {
      if (!childTotals.has(currency)) return `cost.budget: the child has no ${currency} budget under a budgeted parent`;
    }
  }
  if (opts.modelPolicy === 'allow' && parent['model.use'] !== undefined && child['model.use'] === undefined) {
    return 'model.use: omitted under a restricted parent (the allow policy would grant any model)';
  }
  return undefined;
}

/** Convenience for the policy hook: the requested lease's totals as the ceiling. */
export function budgetCeilingOf(lease: Lease): Map<string, Decimal> | undefined {
  const amounts = lease['cost.budget'];
  return amounts === undefined ? undefined : sumBudgetAmounts(amounts);
}
