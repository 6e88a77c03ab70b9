// The client-role check registry, in spec-section order (same id scheme as the runtime checks:
// `<section>/client/<rule>`). Adding a check means adding it to one of the modules listed here.
import { controlChecks } from './control.js';
import { errorChecks } from './errors.js';
import { resultChecks } from './results.js';
import { resumeChecks } from './resume.js';
import { robustnessChecks } from './robustness.js';
import { sessionChecks } from './session.js';
import { matchesAny } from '../../checks/pattern.js';
import type { ClientCheckDef } from '../check-types.js';

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

export const CLIENT_CHECKS: readonly ClientCheckDef[] = [...sessionChecks, ...resumeChecks, ...controlChecks, ...resultChecks, ...errorChecks, ...robustnessChecks].sort((a, b) => compareIds(a.id, b.id));

export function selectClientChecks(patterns: readonly string[], checks: readonly ClientCheckDef[] = CLIENT_CHECKS): ClientCheckDef[] {
  return checks.filter((c) => matchesAny(c.id, patterns));
}
