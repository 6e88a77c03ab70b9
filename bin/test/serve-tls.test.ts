// `arcp serve --tls-cert/--tls-key` serves wss:// (§14), spawned for real with a self-signed
// certificate made here with openssl; ARCPClient connects with the cert as its CA and gets
// credentials (--reference-credentials) that plain ws:// would not carry.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCPClient } from '../../runtime-kit/client/index.js';
import { connectWebSocket } from '../../runtime-kit/transport/index.js';

const ARCP = new URL('../arcp.mjs', import.meta.url).pathname;

describe('arcp serve --tls-cert --tls-key', () => {
  it('listens on wss:// and issues credentials over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arcp-serve-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const child = spawn(process.execPath, [
      ARCP, 'serve', '--port', '0', '--token', 't=alice', '--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem'),
      '--reference-credentials', join(dir, 'ledger.json'),
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += String(d);
          const m = /listening on (\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`arcp serve exited ${code}: ${out}`)));
      });
      expect(url).toMatch(/^wss:\/\//);
      const client = new ARCPClient({ client: { name: 'tls', version: '1' }, token: 't' });
      const welcome = await client.connect(await connectWebSocket(url, { tls: { ca: readFileSync(join(dir, 'cert.pem')) } }));
      expect(welcome.features).toContain('provisioned_credentials');
      // Values leave the handle at the terminal (an echo may end before submit() resolves): the
      // credentials event reports them as they arrive.
      const issued: unknown[] = [];
      client.on('credentials', (c) => issued.push(...c.credentials));
      const job = await client.submit({ agent: 'demo.echo', input: { hi: 1 } });
      expect((await job.done).result).toEqual({ hi: 1 });
      expect(issued).toHaveLength(1);
      await client.close();
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
