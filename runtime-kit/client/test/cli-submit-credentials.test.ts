// Invariant: `arcp submit --json` never prints a credential value — neither the one issued in
// job.accepted nor a rotated one from `status credential_rotated` (§9.8, §14) — while the
// lines still show which credential exists and that it rotated.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceProvisioner } from '../../authority/index.js';
import { ARCPRuntime } from '../../runtime/index.js';
import { authorityServicesOf } from '../../runtime/enforcement/authority-services.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const provisioner = new ReferenceProvisioner();
const runtime = new ARCPRuntime({
  tokens: { t: 'alice' },
  credentialProvisioner: provisioner,
  revocationLedgerPath: join(mkdtempSync(join(tmpdir(), 'arcp-cli-cred-')), 'ledger.json'),
  // Development opt-in: credentials over plain ws:// on loopback (transport-trust.ts).
  plainLoopbackCredentials: true,
});
/** Values the provisioner handed out, to look for in the CLI's output. */
const issued: string[] = [];
runtime.registerAgent('rotator', async (_input, ctx) => {
  const services = authorityServicesOf(runtime);
  const [cred] = services.credentials!.credentialsOf(ctx.jobId)!;
  issued.push(cred!.value);
  await services.rotateCredential(ctx.jobId, cred!.id);
  issued.push(services.credentials!.credentialsOf(ctx.jobId)![0]!.value);
  return { echoed: cred!.value }; // an agent that leaks its secret into the result
});
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

describe('arcp submit --json and credentials', () => {
  it('redacts issued and rotated credential values everywhere in its output', async () => {
    const r = await cli(['rotator', '--url', url, '--token', 't', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(issued).toHaveLength(2);
    expect(issued[0]).not.toBe(issued[1]);
    for (const secret of issued) expect(r.stdout).not.toContain(secret);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'accepted', credentials: [{ id: expect.stringMatching(/^cred_/), scheme: 'bearer', value: '[redacted]' }] });
    const rotated = lines.find((l) => l.type === 'event' && l.body?.phase === 'credential_rotated');
    expect(rotated.body.details.id).toBe(lines[0].credentials[0].id);
    // Redacted when printed while the job ran; gone when the terminal was read first (the handle
    // forgets values at the terminal, buffered events included). Never the value itself.
    expect([undefined, '[redacted]']).toContain(rotated.body.details.value);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'result', result: { echoed: '[redacted]' } });
  });
});
