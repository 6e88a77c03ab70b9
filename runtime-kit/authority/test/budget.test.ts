import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BudgetCounters } from '../budget.js';
import { parseBudgetAmount, sumBudgetAmounts } from '../budget-amount.js';

const cost = (value: number, unit = 'USD', name = 'cost.inference') => ({ name, value, unit });

describe('amount grammar (§9.6)', () => {
  it.each(['USD:5.00', 'USD:0', 'credits:1000', 'EUR:0.000001', 'x_y-z:1.5'])('accepts %s', (s) => {
    expect(parseBudgetAmount(s)).toBeDefined();
  });
  it.each(['USD:-5.00', 'USD:+5', 'USD:1e3', 'USD:.5', 'USD:5.', 'USD', ':5', '5:USD', 'US D:5', 'USD:5 ', 'USD:0x10', 'USD:Infinity', '1USD:5'])(
    'refuses %s',
    (s) => {
      expect(parseBudgetAmount(s)).toBeUndefined();
    },
  );
  it('adds duplicate currencies up exactly', () => {
    const totals = sumBudgetAmounts(['USD:0.10', 'USD:0.20', 'EUR:1']);
    expect(totals.get('USD')!.toFixed()).toBe('0.3');
    expect(totals.get('EUR')!.toFixed()).toBe('1');
  });
});

describe('budget counters', () => {
  it('100 payments of 0.01 exhaust USD:1.00 exactly, not one payment earlier or later', () => {
    const b = new BudgetCounters(['USD:1.00']);
    for (let i = 0; i < 99; i++) b.record(cost(0.01));
    expect(b.isExhausted()).toBe(false);
    expect(b.snapshot()).toEqual({ USD: 0.01 });
    b.record(cost(0.01));
    expect(b.snapshot()).toEqual({ USD: 0 });
    expect(b.isExhausted()).toBe(true);
  });

  it('has no 0.1 + 0.2 drift', () => {
    const b = new BudgetCounters(['USD:0.3']);
    b.record(cost(0.1));
    b.record(cost(0.2));
    expect(b.snapshot()).toEqual({ USD: 0 }); // floats would leave -5.55e-17
    expect(b.isExhausted()).toBe(true);
  });

  it('any sequence of cent-sized payments lands exactly on the decimal difference', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 60 }), (cents) => {
        const b = new BudgetCounters(['USD:100.00']);
        for (const c of cents) b.record(cost(c / 100));
        const spent = cents.reduce((a, c) => a + c, 0);
        return b.snapshot().USD === (10000 - spent) / 100;
      }),
    );
  });

  it('tracks several currencies independently; duplicates add up', () => {
    const b = new BudgetCounters(['USD:5', 'credits:1000', 'USD:1']);
    b.record(cost(2.5));
    b.record(cost(999, 'credits'));
    expect(b.snapshot()).toEqual({ USD: 3.5, credits: 1 });
    expect(b.isExhausted()).toBe(false);
    b.record(cost(1, 'credits'));
    expect(b.isExhausted()).toBe(true);
    expect(b.exhaustedCurrencies()).toEqual(['credits']);
  });

  it('decrements only cost.* metrics whose unit is a budget currency, case-sensitively', () => {
    const b = new BudgetCounters(['USD:5']);
    b.record(cost(1, 'usd'));
    b.record(cost(1, 'EUR'));
    b.record({ name: 'tokens.used', value: 1, unit: 'USD' });
    b.record({ name: 'cost.inference', value: 1 }); // no unit
    b.record(cost(1, 'USD', 'cost.budget.remaining')); // the runtime's own gauge
    b.record({ name: 'costs.inference', value: 1, unit: 'USD' });
    expect(b.snapshot()).toEqual({ USD: 5 });
    b.record(cost(1, 'USD', 'cost.search'));
    expect(b.snapshot()).toEqual({ USD: 4 });
  });

  it.each([-0.01, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'rejects a cost value of %s with INVALID_REQUEST and no decrement',
    (value) => {
      const b = new BudgetCounters(['USD:5']);
      const out = b.record(cost(value));
      expect(out.error?.code).toBe('INVALID_REQUEST');
      expect(b.snapshot()).toEqual({ USD: 5 });
      // even for a unit that is not budgeted (catalog §6.16)
      expect(b.record(cost(value, 'EUR')).error?.code).toBe('INVALID_REQUEST');
    },
  );

  it('rejects a non-number value', () => {
    const b = new BudgetCounters(['USD:5']);
    expect(b.record({ name: 'cost.x', value: '1' as unknown as number, unit: 'USD' }).error?.code).toBe('INVALID_REQUEST');
    expect(b.snapshot()).toEqual({ USD: 5 });
  });

  it('lets the overspending charge through and goes negative', () => {
    const b = new BudgetCounters(['USD:1']);
    b.record(cost(1.5));
    expect(b.snapshot()).toEqual({ USD: -0.5 });
    expect(b.isExhausted()).toBe(true);
  });
});

describe('remaining gauges', () => {
  it('emits after every material decrement by default, never for zero-value costs', () => {
    const b = new BudgetCounters(['USD:1']);
    expect(b.record(cost(0.25)).remaining).toEqual([{ currency: 'USD', value: 0.75 }]);
    expect(b.record(cost(0.25)).remaining).toEqual([{ currency: 'USD', value: 0.5 }]);
    expect(b.record(cost(0)).remaining).toBeUndefined();
    expect(b.record(cost(1, 'EUR')).remaining).toBeUndefined();
  });

  it('with a gauge step: the first decrement, steps of the initial amount, and the crossing to <= 0', () => {
    const b = new BudgetCounters(['USD:10'], { gaugeStep: 0.1 }); // every 1.00
    expect(b.record(cost(0.01)).remaining).toEqual([{ currency: 'USD', value: 9.99 }]); // first
    expect(b.record(cost(0.5)).remaining).toBeUndefined(); // moved 0.50 since the last gauge
    expect(b.record(cost(0.5)).remaining).toEqual([{ currency: 'USD', value: 8.99 }]); // moved 1.00
    expect(b.record(cost(8.98)).remaining).toEqual([{ currency: 'USD', value: 0.01 }]); // big move
    expect(b.record(cost(0.01)).remaining).toEqual([{ currency: 'USD', value: 0 }]); // crossing
  });
});

describe('budget properties', () => {
  it('is exhausted exactly when some currency has been charged at least its budget (integer-cent oracle)', () => {
    const charge = fc.record({ currency: fc.constantFrom('USD', 'EUR'), cents: fc.integer({ min: 0, max: 300 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 2000 }), fc.array(charge, { maxLength: 40 }), (usd, eur, charges) => {
        const b = new BudgetCounters([`USD:${(usd / 100).toFixed(2)}`, `EUR:${(eur / 100).toFixed(2)}`]);
        const spent = { USD: 0, EUR: 0 };
        for (const c of charges) {
          b.record({ name: 'cost.x', value: c.cents / 100, unit: c.currency });
          spent[c.currency as 'USD' | 'EUR'] += c.cents;
          const expected = spent.USD >= usd || spent.EUR >= eur;
          if (b.isExhausted() !== expected) return false;
        }
        return b.snapshot().USD === (usd - spent.USD) / 100 && b.snapshot().EUR === (eur - spent.EUR) / 100;
      }),
      { numRuns: 500 },
    );
  });
});
