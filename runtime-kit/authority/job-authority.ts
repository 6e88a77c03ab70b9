// Per-job enforcement object (contracts.md "authority/"): every authority-bearing operation
// of a job goes through `check` synchronously before dispatch (§9.3), in the order
//   expiry (§9.5) -> budget (§9.6) -> capability (§9.1-§9.3).
// LEASE_EXPIRED and BUDGET_EXHAUSTED carry retryable false (§12); a miss is PERMISSION_DENIED.
//
// Delegation (§9.4, §10): `checkDelegation` first runs the parent's own `agent.delegate`
// operation check. An agent name the parent's `agent.delegate` does not cover is therefore
// PERMISSION_DENIED (an operation not covered by the lease, §9.3), not LEASE_SUBSET_VIOLATION:
// that code is kept for a child lease that would expand authority. By default the child's
// budget is reserved (taken out of the parent's counters) so that a parent cannot hand the
// same money to many children (catalog §9 #43, §14 "budget bypass"); `settleDelegation`
// gives a finished child's unspent remainder back.

import { Decimal } from 'decimal.js';
import { BudgetCounters, type CostOutcome } from './budget.js';
import { targetKindOf } from './capability-names.js';
import { canonicalizeTarget } from './canonicalize.js';
import { CompiledLease } from './compiled-lease.js';
import { ExpiryClock } from './expiry.js';
import { parseUtcTimestamp } from './expires-at.js';
import type { ModelPolicy } from './lease-subset.js';
import { validateLeaseRequest } from './lease-validation.js';
import { sumBudgetAmounts } from './budget-amount.js';
import { deriveChildLease, type ChildLease, type DelegationRequest } from './delegation.js';
import { arcpError, type ARCPError, type AuthorityClock, type Lease, type LeaseConstraints, type MetricBody } from './deps.js';

export type { DelegationRequest } from './delegation.js';

export type Decision = { allowed: true; target?: string } | { allowed: false; error: ARCPError };

export interface JobAuthorityOptions {
  lease: Lease;
  constraints?: LeaseConstraints;
  clock: AuthorityClock;
  /** Grace after expires_at, 0..1000 ms (default 1000); see expiry.ts for the side. */
  graceMs?: number;
  /** Deployment policy for a lease without `model.use` (§9.7). Default 'forbid'. */
  modelPolicy?: ModelPolicy;
  /** Minimum counter movement, as a fraction of the initial amount, between remaining gauges. */
  gaugeStep?: number;
  /** 'reserve' (default) takes a child's budget out of the parent; 'check-only' does not. */
  delegatedBudget?: 'reserve' | 'check-only';
}

/** Budget taken from the parent for one child; hand it back to `settleDelegation`. */
export interface BudgetReservation {
  readonly amounts: Readonly<Record<string, string>>;
}

export type DelegationDecision =
  | { ok: true; lease: Lease; constraints?: LeaseConstraints; reservation?: BudgetReservation }
  | Extract<ChildLease, { ok: false }>;

function deny(error: ARCPError): Decision {
  return { allowed: false, error };
}

/**
 * A denial is a protocol outcome, not a bug: its stack trace is worthless and capturing one
 * costs ~10x the whole check. Built with stack capture switched off (synchronously restored).
 */
function outcomeError(...args: Parameters<typeof arcpError>): ARCPError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return arcpError(...args);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function denied(capability: string, reason: string): Decision {
  return deny(outcomeError('PERMISSION_DENIED', `${capability}: ${reason}`, { details: { capability, reason } }));
}

export class JobAuthority {
  readonly lease: Lease;
  readonly constraints?: LeaseConstraints;
  readonly expiresAtMs?: number;
  private readonly compiled: CompiledLease;
  private readonly counters: BudgetCounters;
  private readonly hasBudget: boolean;
  private readonly expiry?: ExpiryClock;
  private readonly expiryUnreadable: boolean;
  private readonly modelPolicy: ModelPolicy;
  private readonly reserveChildren: boolean;
  private readonly settled = new WeakSet<BudgetReservation>();

  constructor(private readonly opts: JobAuthorityOptions) {
    this.lease = validateLeaseRequest(opts.lease);
    this.compiled = new CompiledLease(this.lease);
    this.hasBudget = this.lease['cost.budget'] !== undefined;
    this.counters = new BudgetCounters(this.lease['cost.budget'] ?? [], { gaugeStep: opts.gaugeStep });
    this.modelPolicy = opts.modelPolicy ?? 'forbid';
    this.reserveChildren = (opts.delegatedBudget ?? 'reserve') === 'reserve';
    if (opts.constraints !== undefined) this.constraints = { ...opts.constraints };
    const raw = opts.constraints?.expires_at;
    const at = raw === undefined ? undefined : parseUtcTimestamp(raw);
    // Fail closed on an unreadable expires_at (TS SDK #122): every operation is refused.
    this.expiryUnreadable = raw !== undefined && at === undefined;
    if (at !== undefined) {
      this.expiresAtMs = at;
      this.expiry = new ExpiryClock(at, opts.clock, opts.graceMs ?? 1000);
    }
  }

  /** Is `capability` on `target` allowed now? On success `target` is the canonical form to use. */
  check(capability: string, target: string): Decision {
    const gate = this.gate();
    if (gate !== undefined) return gate;
    if (capability === 'model.use') return this.modelDecision(target);
    const canonical = canonicalizeTarget(targetKindOf(capability), target);
    if (!canonical.ok) return denied(capability, canonical.reason);
    if (!this.compiled.covers(capability, canonical.target)) return denied(capability, 'not covered by the lease');
    return { allowed: true, target: canonical.target };
  }

  /** §9.7 model-invocation gate (expiry and budget first: a model call is cost-bearing). */
  checkModel(model: string): Decision {
    return this.gate() ?? this.modelDecision(model);
  }

  /** Applies a `metric` body to the budget (see budget.ts for the rules and the gauge policy). */
  recordCost(metric: MetricBody): CostOutcome {
    return this.counters.record(metric);
  }

  /** Current counters as JSON numbers; undefined when the lease has no `cost.budget`. */
  budget(): Record<string, number> | undefined {
    return this.hasBudget ? this.counters.snapshot() : undefined;
  }

  isExpired(): boolean {
    return this.expiryUnreadable || (this.expiry?.isExpired() ?? false);
  }

  isBudgetExhausted(): boolean {
    return this.counters.isExhausted();
  }

  /** Milliseconds until operations start failing LEASE_EXPIRED; undefined without expires_at. */
  msUntilExpiry(): number | undefined {
    if (this.expiryUnreadable) return 0;
    return this.expiry?.msUntilExpiry();
  }

  /**
   * Validates a delegation (§9.4, §10) and returns the child's effective lease and constraints:
   * the parent's own `agent.delegate` operation check first, then delegation.ts, then (in
   * 'reserve' mode) the child's budget is taken out of the parent's counters.
   */
  checkDelegation(req: DelegationRequest): DelegationDecision {
    const gate = this.check('agent.delegate', typeof req?.agent === 'string' ? req.agent : '');
    if (!gate.allowed) return { ok: false, error: gate.error };
    const derived = deriveChildLease(
      {
        lease: this.lease,
        expiresAt: this.expiresAtMs === undefined ? undefined : { text: this.constraints!.expires_at!, ms: this.expiresAtMs },
        budget: this.hasBudget ? { remaining: this.remainingExact(), amounts: this.counters.asAmounts() } : undefined,
        modelPolicy: this.modelPolicy,
      },
      req,
      this.opts.clock.now(),
    );
    if (!derived.ok) return derived;
    const reservation = this.reserve(derived.lease);
    return reservation === undefined ? derived : { ...derived, reservation };
  }

  /** Gives a finished child's unspent budget back to this parent (once per reservation). */
  settleDelegation(reservation: BudgetReservation, childRemaining: Record<string, number> | undefined): void {
    if (this.settled.has(reservation)) return;
    this.settled.add(reservation);
    for (const [currency, reserved] of Object.entries(reservation.amounts)) {
      const left = childRemaining?.[currency];
      if (typeof left !== 'number' || !Number.isFinite(left)) continue;
      this.counters.refund(currency, Decimal.min(new Decimal(reserved), new Decimal(left)));
    }
  }

  // ---- internals

  private gate(): Decision | undefined {
    if (this.isExpired()) {
      return deny(outcomeError('LEASE_EXPIRED', 'the lease has expired', {
        retryable: false,
        details: { expires_at: this.constraints?.expires_at },
      }));
    }
    if (this.counters.isExhausted()) {
      return deny(outcomeError('BUDGET_EXHAUSTED', 'a cost.budget counter is exhausted', {
        retryable: false,
        details: { currencies: this.counters.exhaustedCurrencies(), budget: this.counters.snapshot() },
      }));
    }
    return undefined;
  }

  private modelDecision(model: string): Decision {
    const canonical = canonicalizeTarget('name', model);
    if (!canonical.ok) return denied('model.use', canonical.reason);
    if (!this.compiled.has('model.use')) {
      return this.modelPolicy === 'allow' ? { allowed: true, target: canonical.target } : denied('model.use', 'the lease grants no model (deployment policy: forbid)');
    }
    return this.compiled.covers('model.use', canonical.target) ? { allowed: true, target: canonical.target } : denied('model.use', 'model not covered by the lease');
  }

  private remainingExact(): Map<string, Decimal> {
    const out = new Map<string, Decimal>();
    for (const c of this.counters.currencies()) out.set(c, this.counters.exact(c)!);
    return out;
  }

  private reserve(child: Lease): BudgetReservation | undefined {
    if (!this.reserveChildren || !this.hasBudget || child['cost.budget'] === undefined) return undefined;
    const amounts: Record<string, string> = {};
    for (const [currency, amount] of sumBudgetAmounts(child['cost.budget'])) {
      this.counters.reserve(currency, amount);
      amounts[currency] = amount.toFixed();
    }
    return { amounts };
  }
}
