// Issue 9 item 3 (§9.8, §14): credentials only over encrypted or operator-trusted transports, and
// provisioned_credentials never advertised without durable revocation.
//   - in-memory and stdio are trusted; plain ws:// is not (feature omitted, nothing issued);
//   - wss:// (TLS, self-signed cert made here with openssl) is trusted, end to end with ARCPClient;
//   - plain ws:// on loopback is trusted only under the explicit `plainLoopbackCredentials` opt-in;
//   - an embedder's issue hook without `revokeCredentials: { durable: true }` is not advertised.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARCPClient } from '../../client/index.js';
import { connectWebSocket } from '../../transport/index.js';
import { ReferenceProvisioner } from '../../authority/index.js';
import type { ARCPRuntime } from '../runtime.js';
import type { RuntimeOptions } from '../options.js';
import { makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime | undefined;
let client: ARCPClient | undefined;
let tls: { cert: Buffer; key: Buffer };

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'arcp-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  tls = { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
});

afterEach(async () => {
  await client?.close().catch(() => undefined);
  client = undefined;
  await runtime?.close();
  runtime = undefined;
});

function credentialRuntime(opts: RuntimeOptions = {}): ARCPRuntime {
  const ledger = join(mkdtempSync(join(tmpdir(), 'arcp-ledger-')), 'revocations.json');
  return makeRuntime({ credentialProvisioner: new ReferenceProvisioner(), revocationLedgerPath: ledger, ...opts });
}

async function submitOver(url: string, ca?: Buffer): Promise<{ features: string[]; credentials: unknown }> {
  client = new ARCPClient({ client: { name: 'tls-test', version: '1' }, token: 't' });
  const welcome = await client.connect(await connectWebSocket(url, ca ? { tls: { ca } } : {}));
  // The handle drops credential values at the terminal (an echo job may end before submit()
  // resolves): the `credentials` event reports them as they arrive.
  let credentials: unknown;
  client.on('credentials', (c) => (credentials = c.credentials));
  const job = await client.submit({ agent: 'echo', input: { x: 1 } });
  await job.done;
  return { features: welcome.features, credentials };
}

describe('credentials only over trusted transports (§14)', () => {
  it('in-memory: trusted, credentials issued', async () => {
    runtime = credentialRuntime();
    const peer = TestPeer.connect(runtime);
    const welcome = await peer.hello({ features: ['provisioned_credentials'] });
    expect(welcome.payload.capabilities.features).toEqual(['provisioned_credentials']);
    const acc = await peer.accepted(peer.submit('echo'));
    expect(acc.payload.credentials).toHaveLength(1);
  });

  it('plain ws://: provisioned_credentials is not negotiated and nothing is issued', async () => {
    runtime = credentialRuntime();
    const server = await runtime.listen({ port: 0 });
    const got = await submitOver(server.url!);
    expect(got.features).not.toContain('provisioned_credentials');
    expect(got.credentials ?? []).toEqual([]);
  });

  it('wss:// with a self-signed certificate: trusted, credentials issued', async () => {
    runtime = credentialRuntime();
    const server = await runtime.listen({ port: 0, tls });
    expect(server.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/arcp$/);
    const got = await submitOver(server.url!, tls.cert);
    expect(got.features).toContain('provisioned_credentials');
    expect(got.credentials).toHaveLength(1);
  });

  it('plain ws:// on loopback with the development opt-in plainLoopbackCredentials', async () => {
    runtime = credentialRuntime({ plainLoopbackCredentials: true });
    const server = await runtime.listen({ port: 0 });
    const got = await submitOver(server.url!);
    expect(got.features).toContain('provisioned_credentials');
    expect(got.credentials).toHaveLength(1);
  });
});

describe('provisioned_credentials needs durable revocation (§14 MUST NOT)', () => {
  const issueCredentials = (job: { jobId: string }) => [{ id: `cred_${job.jobId}`, scheme: 'bearer' as const, value: 'sk-test', endpoint: 'https://gw.example/v1' }];

  it('an issue hook with only an onJobTerminal callback is never advertised', async () => {
    runtime = makeRuntime({ hooks: { issueCredentials, onJobTerminal: () => undefined } });
    expect(runtime.advertisedFeatures()).not.toContain('provisioned_credentials');
    const peer = TestPeer.connect(runtime);
    await peer.hello({ features: ['provisioned_credentials'] });
    const acc = await peer.accepted(peer.submit('echo'));
    expect(acc.payload.credentials).toBeUndefined();
  });

  it('an issue hook with revokeCredentials { durable: true } is advertised and revoked at the terminal', async () => {
    const revoked: string[] = [];
    runtime = makeRuntime({ hooks: { issueCredentials, revokeCredentials: { durable: true, revoke: (job) => void revoked.push(job.jobId) } } });
    expect(runtime.advertisedFeatures()).toContain('provisioned_credentials');
    const peer = TestPeer.connect(runtime);
    await peer.hello({ features: ['provisioned_credentials'] });
    const acc = await peer.accepted(peer.submit('echo'));
    expect(acc.payload.credentials).toHaveLength(1);
    await peer.terminal(acc.payload.job_id);
    await peer.settle();
    expect(revoked).toEqual([acc.payload.job_id]);
  });
});
