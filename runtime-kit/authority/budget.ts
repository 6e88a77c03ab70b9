// §9.6 budget counters: one per currency, exact decimal arithmetic (no float drift: 100
// payments of 0.01 exhaust USD:1.00 exactly), JSON numbers on the wire (catalog §10 #32).
//
// Decrement rule (catalog §6.16): a `metric` whose `name` starts with `cost.` (but is not the
// runtime's own `cost.budget.remaining` gauge) and whose `unit` equals a budget currency
// exactly (case-sensitive). The value must be a finite, non-negative number — otherwise
// INVALID_REQUEST and no decrement, whatever the unit (Spec: "negative values are rejected").
// A counter may go below zero (the charge that overspends is still recorded); any counter
// <= 0 means exhausted.
//
// Gauge rule (`cost.budget.remaining`, §9.6 "MAY emit ... after material decrements"): after
// a decrement with a value > 0, a gauge is returned for that currency when (a) it is the
// first decrement of the currency, (b) the counter has just reached <= 0, or (c) the counter
// moved by at least `gaugeStep` x initial amount since the last gauge. The default
// gaugeStep 0 means every material (non-zero) decrement emits. Zero-value costs never do.

import { Decimal } from 'decimal.js';
import { formatBudgetAmount, sumBudgetAmounts } from './budget-amount.js';
import { arcpError, type ARCPError, type MetricBody } from './deps.js';

export const BUDGET_REMAINING_METRIC = 'cost.budget.remaining';

export interface RemainingGauge {
  currency: string;
  value: number;
}

export interface CostOutcome {
  error?: ARCPError;
  remaining?: RemainingGauge[];
}

interface Counter {
  initial: Decimal;
  value: Decimal;
  lastGauge?: Decimal;
}

export class BudgetCounters {
  private readonly counters = new Map<string, Counter>();
  private readonly gaugeStep: Decimal;

  /** `amounts`: the lease's `cost.budget` entries (already validated). */
  constructor(amounts: readonly string[], opts: { gaugeStep?: number } = {}) {
    for (const [currency, total] of sumBudgetAmounts(amounts)) {
      this.counters.set(currency, { initial: total, value: total });
    }
    this.gaugeStep = new Decimal(opts.gaugeStep ?? 0);
  }

  currencies(): string[] {
    return [...this.counters.keys()];
  }

  /** Exact current value of one counter (undefined when the currency is not budgeted). */
  exact(currency: string): Decimal | undefined {
    return this.counters.get(currency)?.value;
  }

  isExhausted(): boolean {
    for (const c of this.counters.values()) if (c.value.lte(0)) return true;
    return false;
  }

  exhaustedCurrencies(): string[] {
    return [...this.counters].filter(([, c]) => c.value.lte(0)).map(([k]) => k);
  }

  /** Current counters as JSON numbers (for `job.accepted.budget` / `job.subscribed.budget`). */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [currency, c] of this.counters) out[currency] = c.value.toNumber();
    return out;
  }

  /** Current counters as amount strings, e.g. to size a child lease or a credential cap. */
  asAmounts(): string[] {
    return [...this.counters].map(([currency, c]) => formatBudgetAmount(currency, Decimal.max(c.value, 0)));
  }

  /** Applies one `metric` body; see the decrement and gauge rules above. */
  record(metric: MetricBody): CostOutcome {
    if (typeof metric !== 'object' || metric === null || typeof metric.name !== 'string') return {};
    if (!metric.name.startsWith('cost.') || metric.name === BUDGET_REMAINING_METRIC) return {};
    const value: unknown = metric.value;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return {
        error: arcpError('INVALID_REQUEST', `cost metric ${metric.name} needs a finite, non-negative value`, {
          details: { name: metric.name },
        }),
      };
    }
    const counter = typeof metric.unit === 'string' ? this.counters.get(metric.unit) : undefined;
    if (counter === undefined || value === 0) return {};
    const before = counter.value;
    // Decimal(number) goes through the number's shortest decimal string: 0.1 is exactly 0.1.
    counter.value = before.minus(new Decimal(value));
    const first = counter.lastGauge === undefined;
    const crossed = before.gt(0) && counter.value.lte(0);
    const moved = first || counter.lastGauge!.minus(counter.value).gte(this.gaugeStep.times(counter.initial));
    if (!(first || crossed || moved)) return {};
    counter.lastGauge = counter.value;
    return { remaining: [{ currency: metric.unit as string, value: counter.value.toNumber() }] };
  }

  /** Removes `amount` from a counter (delegation reservation). */
  reserve(currency: string, amount: Decimal): void {
    const c = this.counters.get(currency);
    if (c !== undefined) c.value = c.value.minus(amount);
  }

  /** Gives back part of a reservation (a settled child's unspent budget). */
  refund(currency: string, amount: Decimal): void {
    const c = this.counters.get(currency);
    if (c !== undefined && amount.gt(0)) c.value = c.value.plus(amount);
  }
}
