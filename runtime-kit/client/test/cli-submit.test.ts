// Invariant: `arcp submit` streams a job's events as JSON lines when piped, prints the result,
// exits 0 on success and with the documented non-zero status plus `ERROR <CODE>: message` on
// failure; bad --input is a usage error (exit 2).
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../agents/index.js';
import { ARCPRuntime } from '../../runtime/index.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
// The documented exit statuses (`arcp submit --help`); runtime-kit may not import bin/ (layering).
const EXIT_STATUS = { BUDGET_EXHAUSTED: 21, UNAUTHENTICATED: 23 } as const;
const runtime = registerConformanceAgents(new ARCPRuntime({ tokens: { t: 'alice' } }));
let url = '';

beforeAll(async () => {
  url = (await runtime.listen({ host: '127.0.0.1', port: 0 })).url!;
});
afterAll(() => runtime.close());

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${ROOT}bin/arcp.mjs`, 'submit', ...args], { cwd: ROOT, timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('arcp submit', () => {
  it('streams JSON lines and prints the result', async () => {
    const r = await cli(['conformance.chatty', '--input', '{"n":3}', '--url', url, '--token', 't']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'accepted', agent: 'conformance.chatty' });
    expect(lines.filter((l) => l.type === 'event' && l.kind === 'log').map((l) => l.body.message)).toEqual(['event 1', 'event 2', 'event 3']);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'result', final_status: 'success', result: { count: 3 } });
  });

  it('progress events are JSON lines when not on a TTY', async () => {
    const r = await cli(['conformance.slow', '--input', '{"steps":3,"interval_ms":1}', '--url', url, '--token', 't']);
    expect(r.code).toBe(0);
    const progress = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.kind === 'progress');
    expect(progress.map((l) => l.body.current)).toEqual([1, 2, 3]);
  });

  it('a failing job exits with its code status and prints ERROR <CODE>', async () => {
    const r = await cli(['conformance.failer', '--input', '{"code":"BUDGET_EXHAUSTED","message":"spent"}', '--url', url, '--token', 't']);
    expect(r.code).toBe(EXIT_STATUS.BUDGET_EXHAUSTED);
    expect(r.stderr).toContain('ERROR BUDGET_EXHAUSTED: spent');
  });

  it('a bad token exits UNAUTHENTICATED; invalid --input JSON exits 2 with a clear message', async () => {
    const auth = await cli(['conformance.echo', '--url', url, '--token', 'wrong']);
    expect(auth.code).toBe(EXIT_STATUS.UNAUTHENTICATED);
    expect(auth.stderr).toMatch(/^ERROR UNAUTHENTICATED: /);
    const bad = await cli(['conformance.echo', '--input', '{nope', '--url', url, '--token', 't']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ERROR USAGE: --input is not valid JSON/);
  });

  it('--stdio spawns the runtime from a quoted command line', async () => {
    const r = await cli(['conformance.versioned@1.0.0', '--stdio', `"${process.execPath}" ${ROOT}bin/arcp.mjs serve --stdio --conformance-agents --token 't=alice'`, '--token', 't']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'accepted', agent: 'conformance.versioned@1.0.0' });
    expect(lines[lines.length - 1]).toMatchObject({ type: 'result', result: { version: '1.0.0' } });
  });
});
