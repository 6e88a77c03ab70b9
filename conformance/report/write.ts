// Writes every report of a run into one directory.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../runner/run.js';
import { badge, certifyRun, runVerdictOf } from './certification.js';
import { buildHtml } from './html.js';
import type { RunStatus } from './run-verdict.js';
import { buildJsonReport } from './json.js';
import { buildJunit } from './junit.js';

export async function writeReports(dir: string, result: RunResult): Promise<string[]> {
  await mkdir(join(dir, 'badges'), { recursive: true });
  const cert = certifyRun(result);
  const verdict = runVerdictOf(result);
  // One badge set per role: client badges are client-*.json labelled "ARCP client ...".
  const role = result.role ?? 'runtime';
  const prefix = role === 'client' ? 'client-' : '';
  const label = role === 'client' ? 'ARCP client' : 'ARCP';
  const files: [string, string][] = [
    ['report.json', `${JSON.stringify(buildJsonReport(result), null, 2)}\n`],
    ['junit.xml', buildJunit(result)],
    ['report.html', buildHtml(result)],
    ['certification.json', `${JSON.stringify({ peer: result.peer.describe, role, profile: result.profile, seed: result.seed, verdict: verdict.status, headline: verdict.headline, toComplete: verdict.gaps.map((g) => g.advice), ...cert }, null, 2)}\n`],
    [join('badges', `${prefix}verdict.json`), `${JSON.stringify(verdictBadge(label, verdict.status))}\n`],
    [join('badges', `${prefix}core.json`), `${JSON.stringify(badge(`${label} core`, cert.core))}\n`],
    ...Object.entries(cert.features).map(([flag, status]): [string, string] => [join('badges', `${prefix}${flag}.json`), `${JSON.stringify(badge(`${label} ${flag}`, status))}\n`]),
  ];
  await Promise.all(files.map(([name, text]) => writeFile(join(dir, name), text)));
  return files.map(([name]) => join(dir, name));
}

function verdictBadge(label: string, status: RunStatus): Record<string, unknown> {
  const color = { conformant: 'brightgreen', partial: 'orange', 'non-conformant': 'red' }[status];
  return { schemaVersion: 1, label: `${label} conformance`, message: status.replace('-', ' '), color };
}
