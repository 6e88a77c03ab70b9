// A job known only from its record (restored after a restart, or running on another node)
// reports the budget its record carries: a freshly built authority's counters never saw what
// the job spent, and job.subscribed must show the current remaining budget (§7.6).
import type { MetricBody } from '../../../generated/index.js';
import type { JobRecord } from '../../store/runtime-store.js';
import type { JobAuthorityLike } from '../hooks.js';

class RecordedBudget implements JobAuthorityLike {
  readonly expiresAtMs?: number;
  constructor(
    private readonly inner: JobAuthorityLike,
    private recorded: Record<string, number>,
  ) {
    if (inner.expiresAtMs !== undefined) this.expiresAtMs = inner.expiresAtMs;
  }

  check(capability: string, target: string): ReturnType<JobAuthorityLike['check']> {
    return this.inner.check(capability, target);
  }

  checkModel(model: string): ReturnType<JobAuthorityLike['checkModel']> {
    return this.inner.checkModel(model);
  }

  recordCost(metric: MetricBody): ReturnType<JobAuthorityLike['recordCost']> {
    return this.inner.recordCost(metric);
  }

  budget(): Record<string, number> {
    return { ...this.recorded };
  }

  update(recorded: Record<string, number>): void {
    this.recorded = recorded;
  }
}

function countersOf(record: Pick<JobRecord, 'budget'>): Record<string, number> | undefined {
  if (record.budget === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const [currency, value] of Object.entries(record.budget)) if (typeof value === 'number') out[currency] = value;
  return out;
}

/** The authority with the record's budget (once more: the record's latest budget, in place). */
export function withRecordedBudget(authority: JobAuthorityLike, record: Pick<JobRecord, 'budget'>): JobAuthorityLike {
  const recorded = countersOf(record);
  if (recorded === undefined) return authority;
  if (authority instanceof RecordedBudget) {
    authority.update(recorded);
    return authority;
  }
  return new RecordedBudget(authority, recorded);
}
