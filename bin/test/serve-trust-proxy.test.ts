// `arcp serve --trust-proxy`: behind a reverse proxy every socket comes from the proxy, so without
// the flag one attacker's failed hellos empty the failed-auth bucket for every client behind it;
// with it, the bucket is kept per client named in X-Forwarded-For. A real `arcp serve` child, raw
// ws clients sending the header a proxy would append.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { RawWs } from '../../test/attack/support/raw-ws.js';
import { startServe, type ServeChild } from '../../test/store/support/serve-child.js';

const ARCP = new URL('../arcp.mjs', import.meta.url).pathname;
// serve's default burst (limits-options.ts authFailureBurstPerSource).
const BURST = 20;

let serve: ServeChild | undefined;
const peers: RawWs[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.terminate();
  await serve?.stop();
  serve = undefined;
});

async function hello(token: string, client: string): Promise<{ reply: string; reason?: string }> {
  const p = await RawWs.open(serve!.url, { 'X-Forwarded-For': client });
  peers.push(p);
  p.hello(token);
  const f = await p.find((m) => m.type === 'session.welcome' || m.type === 'session.error');
  return f.type === 'session.welcome' ? { reply: 'welcome' } : { reply: f.payload.code as string, reason: f.payload.details?.reason as string | undefined };
}

async function attackerEmptiesItsBucket(): Promise<void> {
  for (let i = 0; i < BURST; i++) expect((await hello(`guess-${i}`, '203.0.113.7')).reply).toBe('UNAUTHENTICATED');
}

describe('arcp serve --trust-proxy', () => {
  it('with the proxy trusted, a client behind it is not refused for another client\'s failed hellos', async () => {
    serve = await startServe(['--trust-proxy', '127.0.0.1']);
    await attackerEmptiesItsBucket();
    expect(await hello('t', '203.0.113.7')).toEqual({ reply: 'UNAUTHENTICATED', reason: 'rate_limited' });
    expect(await hello('t', '198.51.100.2')).toEqual({ reply: 'welcome' });
  });

  it('a hop count works the same way', async () => {
    serve = await startServe(['--trust-proxy', '1']);
    await attackerEmptiesItsBucket();
    expect(await hello('t', '198.51.100.2')).toEqual({ reply: 'welcome' });
  });

  it('without it the header is ignored: everyone behind the proxy shares one bucket', async () => {
    serve = await startServe([]);
    await attackerEmptiesItsBucket();
    expect(await hello('t', '198.51.100.2')).toEqual({ reply: 'UNAUTHENTICATED', reason: 'rate_limited' });
  });

  it('refuses a value that is neither a hop count nor IP addresses, and --trust-proxy with --stdio', () => {
    for (const args of [['--trust-proxy', 'proxy.example'], ['--trust-proxy', '1', '--stdio']]) {
      const r = spawnSync(process.execPath, [ARCP, 'serve', '--port', '0', ...args], { encoding: 'utf8', timeout: 30_000, input: '' });
      expect(r.status, args.join(' ')).toBe(args.includes('--stdio') ? 2 : 1);
      expect(r.stderr).toMatch(/--trust-proxy/);
    }
  });
});
