// `arcp conformance` as a user runs it: no set-up, plain lines when not a TTY, exit code 0 when
// every MUST check that ran passed, 2 for unusable flags, and --list prints the registry.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createDisplay } from '../runner/display.js';

function arcp(...args: string[]) {
  return spawnSync(process.execPath, ['bin/arcp.mjs', 'conformance', ...args], { cwd: new URL('../..', import.meta.url), encoding: 'utf8', timeout: 110_000 });
}

describe('arcp conformance CLI', () => {
  it('certifies the in-process runtime with no flags beyond a selection, exit 0, plain output', { timeout: 120_000 }, () => {
    const r = arcp('--only', '7.1/submit/accepted-then-result,8.3/seq/*', '--seed', '4', '--runs', '2');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS  MUST    7\.1\/submit\/accepted-then-result/m);
    expect(r.stdout).toContain('seed 4');
    // a selection certifies nothing beyond itself, and says so
    expect(r.stdout).toContain('RESULT: PARTIAL: no MUST-level failure in what ran');
    expect(r.stdout).toMatch(/run without --only \(this run selected \d+ of \d+ checks\)/);
    expect(r.stdout).not.toMatch(/core certified/);
  });

  it('a flag commander rejects is a usage error: exit 2, never 1; --help documents the exit codes', () => {
    expect(arcp('--bogus').status).toBe(2);
    expect(arcp('--seed', 'x').status).toBe(2);
    expect(arcp('--role', 'nope').status).toBe(2);
    const help = arcp('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+conformant[\s\S]*1\s+non-conformant[\s\S]*2\s+usage or set-up error/);
  });

  it('--list prints every check; a pattern matching nothing exits 2', { timeout: 120_000 }, () => {
    const list = arcp('--list', '--only', '6.3/**');
    expect(list.status).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines.slice(0, -1).every((l) => l.includes('6.3/'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^runtime-side, wire-observable MUST\/SHOULD: \d+ of \d+ tested/);
    const none = arcp('--only', 'no/such/check');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no check matches');
  });
});

describe('display', () => {
  it('prints plain lines with reasons and the replay command for failures', () => {
    let out = '';
    const d = createDisplay({ tty: false, write: (s) => (out += s) });
    const base = { spec: '§8.3', level: 'MUST' as const, kind: 'scenario' as const, title: 't', durationMs: 3 };
    d.verdict({ ...base, id: '8.3/a', outcome: 'pass' });
    d.verdict({ ...base, id: '8.3/b', outcome: 'fail', message: 'gap of 1', replay: 'arcp conformance --only 8.3/b --seed 1 --runs 1' });
    d.verdict({ ...base, id: '9.5/c', outcome: 'not-applicable', message: 'feature lease_expires_at not negotiated' });
    expect(out).toContain('PASS  MUST    8.3/a (3 ms)\n');
    expect(out).toContain('FAIL  MUST    8.3/b (3 ms)  gap of 1\n      replay: arcp conformance --only 8.3/b --seed 1 --runs 1\n');
    expect(out).toContain('N/A   MUST    9.5/c (3 ms)  feature lease_expires_at not negotiated');
  });
});
