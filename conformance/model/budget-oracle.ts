// §9.6 budget arithmetic to the cent: decimal counters per currency (decimal.js), never floats.
import { Decimal } from 'decimal.js';

export class BudgetModel {
  private readonly counters = new Map<string, Decimal>();

  /** `amounts` are `currency:decimal` strings from the lease's cost.budget (duplicates add up). */
  constructor(amounts: readonly string[]) {
    for (const a of amounts) {
      const i = a.indexOf(':');
      const cur = a.slice(0, i);
      this.counters.set(cur, (this.counters.get(cur) ?? new Decimal(0)).plus(new Decimal(a.slice(i + 1))));
    }
  }

  /** A cost metric: decrements the matching currency; negative values are ignored (§9.6). */
  spend(amount: string, currency: string): void {
    const c = this.counters.get(currency);
    const v = new Decimal(amount);
    if (c === undefined || v.isNegative()) return;
    this.counters.set(currency, c.minus(v));
  }

  /** §9.6: any counter <= 0 blocks every operation. */
  exhausted(): boolean {
    for (const v of this.counters.values()) if (v.lessThanOrEqualTo(0)) return true;
    return false;
  }

  remaining(currency: string): string | undefined {
    return this.counters.get(currency)?.toString();
  }
}
