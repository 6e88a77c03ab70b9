// The shape of a client-role check: the runtime checks' CheckDef fields (id, spec, level, title,
// feature, kind) with a run() that drives a client through ClientCheckContext. Verdicts are the
// runtime checks' Verdict type, so reports, baselines and certification are shared.
import type { CheckDef } from '../checks/types.js';
import type { ClientCheckContext } from './context.js';

export interface ClientCheckDef extends Omit<CheckDef, 'run' | 'agents' | 'needs' | 'statements'> {
  /** Ids of the client-side statements (conformance/statements.json) this check tests. */
  readonly statements: readonly string[];
  run(ctx: ClientCheckContext): Promise<void>;
}

export function clientScenario(def: Omit<ClientCheckDef, 'kind'>): ClientCheckDef {
  return { ...def, kind: 'scenario' };
}

export function clientProperty(def: Omit<ClientCheckDef, 'kind'>): ClientCheckDef {
  return { ...def, kind: 'property' };
}
