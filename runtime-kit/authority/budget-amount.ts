// §9.6 amount strings: `currency ":" decimal`.
//
// Currency: a letter, then letters, digits, `_` or `-` (the TS grammar, catalog §6.16); it is
// case-sensitive. Decimal: digits with an optional fraction — no sign (kotlin-sdk #92 accepted
// `USD:-5.00`), no exponent, no leading `+`/`.`.

import { Decimal } from 'decimal.js';

const AMOUNT = /^([A-Za-z][A-Za-z0-9_-]{0,31}):(\d{1,30}(?:\.\d{1,30})?)$/;

export interface BudgetAmount {
  currency: string;
  amount: Decimal;
}

/** Parses one amount string; undefined when it does not follow the grammar. */
export function parseBudgetAmount(text: unknown): BudgetAmount | undefined {
  if (typeof text !== 'string') return undefined;
  const m = AMOUNT.exec(text);
  if (m === null) return undefined;
  return { currency: m[1], amount: new Decimal(m[2]) };
}

/** Sums the entries per currency (duplicates add up, catalog §6.16). Invalid entries throw. */
export function sumBudgetAmounts(entries: readonly string[]): Map<string, Decimal> {
  const totals = new Map<string, Decimal>();
  for (const entry of entries) {
    const parsed = parseBudgetAmount(entry);
    if (parsed === undefined) throw new TypeError(`not a budget amount: ${JSON.stringify(entry)}`);
    totals.set(parsed.currency, (totals.get(parsed.currency) ?? new Decimal(0)).plus(parsed.amount));
  }
  return totals;
}

/** Formats a counter as an amount string (`USD:1.5`); used for inherited child budgets. */
export function formatBudgetAmount(currency: string, amount: Decimal): string {
  return `${currency}:${amount.toFixed()}`;
}
