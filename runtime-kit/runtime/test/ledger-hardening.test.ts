// The revocation ledger under failure (issue 13, §14): a corrupt or unreadable ledger stops the
// runtime from being built (so provisioned_credentials is never advertised without durable
// revocation), recovery is logged at warn (what `arcp serve` prints), orphan temp files of dead
// processes are removed, and an issuance is on disk before the provisioner is asked, so a crash
// between issue and record still gets the credential revoked by the next process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReferenceProvisioner, type CredentialJob, type CredentialScope } from '../../authority/index.js';
import type { Credential } from '../../../generated/index.js';
import { authorityServicesOf } from '../enforcement/authority-services.js';
import type { ARCPRuntime } from '../runtime.js';
import { alice, authorityRuntime, tempLedgerPath } from './support/authority-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

const noWait = { attempts: 2, sleep: async () => {} };
type Log = { level: string; message: string; data?: Record<string, unknown> };

function credentialed(provisioner: ReferenceProvisioner, ledger: string, logs: Log[] = []): ARCPRuntime {
  return authorityRuntime({
    credentialProvisioner: provisioner,
    revocationLedgerPath: ledger,
    credentialRetry: noWait,
    logger: (level, message, data) => logs.push({ level, message, ...(data ? { data } : {}) }),
  });
}

describe('an unusable ledger', () => {
  it('a corrupt ledger: the runtime is not built (ARCP_KIT_LEDGER_CORRUPT, naming the file)', () => {
    const ledger = tempLedgerPath();
    writeFileSync(ledger, '{"version":1,"outstanding":[{"id":"cred_1"');
    expect(() => credentialed(new ReferenceProvisioner(), ledger)).toThrow(expect.objectContaining({ code: 'ARCP_KIT_LEDGER_CORRUPT', message: expect.stringContaining(ledger) }));
  });

  it('a corrupt ledger never reaches a welcome that advertises provisioned_credentials (§14 MUST NOT)', async () => {
    const ledger = tempLedgerPath();
    writeFileSync(ledger, '{"version":1,"outstanding":[{"id":"cred_1"');
    let advertised: string[] = []; // no runtime, no welcome: nothing is advertised
    try {
      runtime = credentialed(new ReferenceProvisioner(), ledger);
    } catch {
      runtime = undefined;
    }
    if (runtime) advertised = ((await TestPeer.connect(runtime).hello()).payload.capabilities?.features ?? []) as string[];
    expect(advertised).not.toContain('provisioned_credentials');
  });

  it('an unreadable ledger (a directory): ARCP_KIT_LEDGER_UNREADABLE', () => {
    const ledger = tempLedgerPath();
    mkdirSync(ledger);
    expect(() => credentialed(new ReferenceProvisioner(), ledger)).toThrow(expect.objectContaining({ code: 'ARCP_KIT_LEDGER_UNREADABLE' }));
  });

  it('arcp serve refuses to start and says why', () => {
    const ledger = tempLedgerPath();
    writeFileSync(ledger, 'not json');
    const bin = new URL('../../../bin/arcp.mjs', import.meta.url).pathname;
    const run = spawnSync(process.execPath, [bin, 'serve', '--stdio', '--token', 't=alice', '--reference-credentials', ledger], { input: '', encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('cannot start');
    expect(run.stderr).toContain(ledger);
  }, 90_000);
});

describe('recovery and temp files', () => {
  /** A ledger that a dead process left with one outstanding credential. */
  function leftOver(): string {
    const ledger = tempLedgerPath();
    writeFileSync(ledger, JSON.stringify({ version: 1, outstanding: [{ id: 'cred_old', job_id: 'job_old', recorded_at: new Date().toISOString(), attempts: 0 }] }));
    return ledger;
  }

  it('logs the recovery at warn, the level arcp serve prints (before: info, never shown)', async () => {
    const ledger = leftOver();
    const logs: Log[] = [];
    runtime = credentialed(new ReferenceProvisioner(), ledger, logs);
    await authorityServicesOf(runtime).credentials!.recovered;
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('recovery'), data: expect.objectContaining({ revoked: 1 }) }));
  });

  it('removes temp files of dead processes (not of live ones) and says so at warn', async () => {
    const ledger = leftOver();
    const dead = join(dirname(ledger), `${basename(ledger)}.999999999.abcdef.tmp`);
    const mine = join(dirname(ledger), `${basename(ledger)}.${process.pid}.abcdef.tmp`);
    writeFileSync(dead, '{}');
    writeFileSync(mine, '{}');
    const logs: Log[] = [];
    runtime = credentialed(new ReferenceProvisioner(), ledger, logs);
    await authorityServicesOf(runtime).credentials!.recovered;
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(mine)).toBe(true);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('temp files') }));
  });
});

describe('recorded before issued', () => {
  it('a crash after the provisioner issued but before the ids were recorded leaves nothing live', async () => {
    const ledger = tempLedgerPath();
    const upstream = new ReferenceProvisioner();
    // The first process "crashes" inside issue: the credential exists upstream, its id never returns.
    let issuedUpstream!: () => void;
    const issued = new Promise<void>((r) => (issuedUpstream = r));
    const crashing = Object.assign(Object.create(upstream) as ReferenceProvisioner, {
      issue: async (job: CredentialJob, scope: CredentialScope): Promise<Credential[]> => {
        await upstream.issue(job, scope);
        issuedUpstream();
        return new Promise<Credential[]>(() => {}); // never returns: the process dies here
      },
    });
    runtime = credentialed(crashing, ledger);
    const peer = await alice(runtime);
    peer.submit('conformance.echo', 1, {});
    await issued;
    expect(upstream.liveIds()).toHaveLength(1);
    // What the next process finds on disk names the job (before: no ledger file was written yet).
    const onDisk = existsSync(ledger) ? JSON.parse(readFileSync(ledger, 'utf8')).outstanding : [];
    expect(onDisk).toEqual([expect.objectContaining({ pending: true, job_id: expect.stringMatching(/^job_/) })]);
    await runtime.close();

    const logs: Log[] = [];
    runtime = credentialed(upstream, ledger, logs);
    const report = await authorityServicesOf(runtime).credentials!.recovered;
    expect(report.failed).toEqual([]);
    expect(upstream.liveIds()).toEqual([]);
    expect(JSON.parse(readFileSync(ledger, 'utf8')).outstanding).toEqual([]);
  });
});
