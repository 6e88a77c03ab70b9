// `npx tsx conformance/statements/sync.ts`: rewrites the `checks` field of every statement in
// conformance/statements.json from the checks' own `statements` lists (the check side is the one
// edited with the code), then prints what is still inconsistent. Run it after adding a check.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALL_CHECKS } from '../checks/index.js';
import { traceabilityProblems, type Statement } from './statements.js';

const path = fileURLToPath(new URL('../statements.json', import.meta.url));
const file = JSON.parse(readFileSync(path, 'utf8')) as { statements: Statement[] };
const extra = process.env.ARCP_EXTRA_CHECKS_MODULE; // e.g. the client-role registry
const checks = extra ? [...ALL_CHECKS, ...((await import(extra)).default as typeof ALL_CHECKS)] : ALL_CHECKS;
for (const s of file.statements) {
  (s as unknown as { checks: string[] }).checks = checks.filter((c) => c.statements.includes(s.id)).map((c) => c.id);
}
writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
const problems = traceabilityProblems(checks, file.statements);
process.stdout.write(problems.length ? `${problems.join('\n')}\n` : 'statements.json consistent with the checks\n');
