import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceProvisioner } from '../credentials/reference-provisioner.js';
import { RevocationLedger } from '../credentials/revocation-ledger.js';
import { CredentialManager, canAdvertiseProvisionedCredentials } from '../credentials/credential-manager.js';
import { credentialScopeFor } from '../credentials/provisioner.js';
import { withRetries } from '../credentials/retry.js';

let dir: string;
let ledgerPath: string;
const delays: number[] = [];
const fakeSleep = async (ms: number) => {
  delays.push(ms);
};
const retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, sleep: fakeSleep };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arcp-ledger-'));
  ledgerPath = join(dir, 'revocations.json');
  delays.length = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('credential scope mapping (§9.8.3)', () => {
  it('maps remaining budget, model.use and expires_at to Spec-shaped constraints', () => {
    expect(credentialScopeFor({ 'model.use': ['tier-fast/*'], 'tool.call': ['x'] }, { expires_at: '2026-05-13T23:42:00Z' }, ['USD:3.5'])).toEqual({
      'cost.budget': ['USD:3.5'],
      'model.use': ['tier-fast/*'],
      expires_at: '2026-05-13T23:42:00Z',
    });
    expect(credentialScopeFor({}, undefined, undefined)).toEqual({});
  });
});

describe('ReferenceProvisioner', () => {
  it('mints unique bearer values per job and honours revoke/rotate', async () => {
    const p = new ReferenceProvisioner({ endpoint: 'https://gw.example/v1', profile: 'openai' });
    const [a] = await p.issue({ jobId: 'job_a' }, { 'model.use': ['m'] });
    const [b] = await p.issue({ jobId: 'job_b' }, {});
    expect(a.scheme).toBe('bearer');
    expect(a.endpoint).toBe('https://gw.example/v1');
    expect(a.constraints).toEqual({ 'model.use': ['m'] });
    expect(b.constraints).toBeUndefined();
    expect(a.value).not.toBe(b.value);
    expect(a.id).not.toBe(b.id);
    const rotated = await p.rotate(a);
    expect(rotated.id).toBe(a.id);
    expect(p.accepts(a.value)).toBe(false); // prior value stops working
    expect(p.accepts(rotated.value)).toBe(true);
    await p.revoke(a.id);
    expect(p.accepts(rotated.value)).toBe(false);
    expect(p.isLive(b.id)).toBe(true);
  });

  it('fails the next N calls when told to', async () => {
    const p = new ReferenceProvisioner();
    p.failNext('issue', 2);
    await expect(p.issue({ jobId: 'j' }, {})).rejects.toThrow(/injected issue failure/);
    await expect(p.issue({ jobId: 'j' }, {})).rejects.toThrow();
    await expect(p.issue({ jobId: 'j' }, {})).resolves.toHaveLength(1);
  });
});

describe('withRetries', () => {
  it('retries with exponential, capped backoff and gives up after the bound', async () => {
    let calls = 0;
    await expect(withRetries(async () => { calls++; throw new Error('down'); }, { attempts: 5, baseDelayMs: 100, maxDelayMs: 300, sleep: fakeSleep })).rejects.toThrow('down');
    expect(calls).toBe(5);
    expect(delays).toEqual([100, 200, 300, 300]);
  });
});

describe('RevocationLedger', () => {
  it('persists outstanding ids (never values) atomically, and survives a restart', async () => {
    const ledger = await RevocationLedger.open(ledgerPath);
    await ledger.record('job_1', ['cred_a', 'cred_b'], 'job_0');
    await ledger.markRevoked('cred_a');
    const text = await readFile(ledgerPath, 'utf8');
    expect(JSON.parse(text).outstanding.map((e: { id: string }) => e.id)).toEqual(['cred_b']);
    expect(text).not.toMatch(/sk-/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]); // temp file renamed away

    const reopened = await RevocationLedger.open(ledgerPath); // "restart"
    expect(reopened.outstanding()).toMatchObject([{ id: 'cred_b', job_id: 'job_1', parent_job_id: 'job_0', attempts: 0 }]);
  });

  it('treats a missing file as empty and a corrupt file as a loud error', async () => {
    expect((await RevocationLedger.open(join(dir, 'none.json'))).outstanding()).toEqual([]);
    await writeFile(ledgerPath, '{"version":1,"outstanding":[{"id":"x"');
    await expect(RevocationLedger.open(ledgerPath)).rejects.toMatchObject({ code: 'ARCP_KIT_LEDGER_CORRUPT' });
  });

  it('retryOutstanding revokes what it can and keeps (and counts) what it cannot', async () => {
    const provisioner = new ReferenceProvisioner();
    const [c1] = await provisioner.issue({ jobId: 'j1' }, {});
    const [c2] = await provisioner.issue({ jobId: 'j2' }, {});
    const ledger = await RevocationLedger.open(ledgerPath);
    await ledger.record('j1', [c1.id]);
    await ledger.record('j2', [c2.id]);
    provisioner.failNext('revoke', 2); // c1 needs three attempts; c2 goes through
    const report = await ledger.retryOutstanding(provisioner, retry);
    expect(report).toEqual({ revoked: [c1.id, c2.id], failed: [] });
    expect(provisioner.isLive(c1.id)).toBe(false);
    expect(ledger.outstanding()).toEqual([]);
    expect(delays).toEqual([100, 200]);

    const [c3] = await provisioner.issue({ jobId: 'j3' }, {});
    await ledger.record('j3', [c3.id]);
    provisioner.failNext('revoke', 3);
    const failed = await ledger.retryOutstanding(provisioner, retry);
    expect(failed.failed.map((f) => f.id)).toEqual([c3.id]);
    expect((await RevocationLedger.open(ledgerPath)).outstanding()).toMatchObject([{ id: c3.id, attempts: 1, last_error: expect.stringContaining('revoke') }]);
  });
});

describe('CredentialManager', () => {
  async function setup() {
    const provisioner = new ReferenceProvisioner();
    const ledger = await RevocationLedger.open(ledgerPath);
    const failures: { id: string; jobId: string }[] = [];
    const manager = new CredentialManager({ provisioner, ledger, retry, onPermanentFailure: (f) => failures.push(f) });
    return { provisioner, ledger, manager, failures };
  }

  it('issues, records durably before returning, and revokes at the end', async () => {
    const { provisioner, ledger, manager } = await setup();
    const creds = await manager.issueForJob({ jobId: 'job_1' }, { 'cost.budget': ['USD:5'] });
    expect(creds).toHaveLength(1);
    expect((await RevocationLedger.open(ledgerPath)).outstanding().map((e) => e.id)).toEqual([creds[0].id]);
    const report = await manager.revokeJob('job_1');
    expect(report.revoked).toEqual([creds[0].id]);
    expect(provisioner.isLive(creds[0].id)).toBe(false);
    expect(ledger.outstanding()).toEqual([]);
    expect(manager.credentialsOf('job_1')).toEqual([]);
  });

  it('retries a flaky issue, and turns a dead provisioner into INTERNAL_ERROR', async () => {
    const { provisioner, manager } = await setup();
    provisioner.failNext('issue', 2);
    await expect(manager.issueForJob({ jobId: 'j' }, {})).resolves.toHaveLength(1);
    provisioner.failNext('issue', 3);
    await expect(manager.issueForJob({ jobId: 'k' }, {})).rejects.toMatchObject({ code: 'INTERNAL_ERROR', retryable: true });
  });

  it('refuses the job without issuing anything when the ledger cannot be written', async () => {
    const provisioner = new ReferenceProvisioner();
    const ledger = await RevocationLedger.open(join(dir, 'missing-dir', 'ledger.json')); // writes fail
    const manager = new CredentialManager({ provisioner, ledger, retry });
    await expect(manager.issueForJob({ jobId: 'j' }, {})).rejects.toMatchObject({ code: 'INTERNAL_ERROR' });
    expect(provisioner.calls.issue).toBe(0); // the intent is recorded first (issue 13): no record, no credential
    expect(provisioner.liveIds()).toEqual([]);
  });

  it('rotates: same id, new value, the status body of catalog §10 #27', async () => {
    const { provisioner, manager } = await setup();
    const [cred] = await manager.issueForJob({ jobId: 'job_1' }, {});
    const body = await manager.rotate('job_1', cred.id);
    expect(body).toEqual({ phase: 'credential_rotated', message: cred.id, details: { id: cred.id, value: expect.any(String) } });
    expect(body.details.value).not.toBe(cred.value);
    expect(provisioner.accepts(cred.value)).toBe(false);
    expect(manager.credentialsOf('job_1')[0].value).toBe(body.details.value);
    await expect(manager.rotate('job_1', 'cred_unknown')).rejects.toMatchObject({ code: 'ARCP_KIT_UNKNOWN_CREDENTIAL' });
  });

  it('revokes children when the parent ends', async () => {
    const { provisioner, manager } = await setup();
    const [p] = await manager.issueForJob({ jobId: 'parent' }, {});
    const [c] = await manager.issueForJob({ jobId: 'child', parentJobId: 'parent' }, {});
    const [g] = await manager.issueForJob({ jobId: 'grandchild', parentJobId: 'child' }, {});
    const report = await manager.revokeJob('parent');
    expect(new Set(report.revoked)).toEqual(new Set([p.id, c.id, g.id]));
    expect(provisioner.liveIds()).toEqual([]);
  });

  it('keeps an unrevocable credential in the ledger, reports it, and a restarted manager revokes it', async () => {
    const { provisioner, manager, failures } = await setup();
    const [cred] = await manager.issueForJob({ jobId: 'job_1' }, {});
    provisioner.failNext('revoke', 3);
    const report = await manager.revokeJob('job_1');
    expect(report.failed.map((f) => f.id)).toEqual([cred.id]);
    expect(failures).toMatchObject([{ id: cred.id, jobId: 'job_1' }]);
    expect(provisioner.isLive(cred.id)).toBe(true);

    // simulated restart: a new ledger object from the same file, a new manager
    const restarted = new CredentialManager({ provisioner, ledger: await RevocationLedger.open(ledgerPath), retry });
    const recovered = await restarted.recover();
    expect(recovered.revoked).toEqual([cred.id]);
    expect(provisioner.isLive(cred.id)).toBe(false);
    expect((await RevocationLedger.open(ledgerPath)).outstanding()).toEqual([]);
  });

  it('advertises provisioned_credentials only with both a provisioner and a ledger', async () => {
    const { provisioner, ledger } = await setup();
    expect(canAdvertiseProvisionedCredentials({ provisioner, ledger })).toBe(true);
    expect(canAdvertiseProvisionedCredentials({ provisioner })).toBe(false);
  });
});
