// `arcp serve --reference-credentials LEDGER` advertises provisioned_credentials and issues one
// credential per job (§9.8); without a ledger the feature is never advertised (§14).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnStdioTransport, type Transport } from '../../runtime-kit/transport/index.js';

const ARCP = new URL('../arcp.mjs', import.meta.url).pathname;

/** Speaks raw frames to a spawned `arcp serve --stdio` and collects what comes back. */
async function exchange(extraArgs: string[], frames: object[], until: (m: any) => boolean): Promise<any[]> {
  const t: Transport = spawnStdioTransport(process.execPath, [ARCP, 'serve', '--stdio', '--token', 't=alice', ...extraArgs], { stderr: 'capture' });
  const got: any[] = [];
  const done = new Promise<void>((resolve, reject) => {
    t.start({
      message: (f) => {
        const m = JSON.parse(f);
        got.push(m);
        if (m.type === 'session.welcome') for (const fr of frames) t.send(JSON.stringify({ ...fr, session_id: m.session_id }));
        if (until(m)) resolve();
      },
      close: () => reject(new Error(`child closed early; got ${JSON.stringify(got)}`)),
      error: () => undefined,
    });
  });
  t.send(JSON.stringify({
    arcp: '1.1', id: 'msg_01M89Z6A485Y94KVYMF3ZBZMWR', type: 'session.hello',
    payload: { client: { name: 't', version: '1' }, auth: { scheme: 'bearer', token: 't' }, capabilities: { features: ['provisioned_credentials'] } },
  }));
  try {
    await done;
  } finally {
    await t.close();
  }
  return got;
}

const submit = {
  arcp: '1.1', id: 'msg_01M89Z6A485Y94KVYMF3ZBZMWS', type: 'job.submit',
  payload: { agent: 'demo.echo', input: { hi: 1 }, lease_request: { 'cost.budget': ['USD:1.00'] } },
};

describe('arcp serve --reference-credentials', () => {
  it('advertises provisioned_credentials and issues a credential with job.accepted', async () => {
    const ledger = join(mkdtempSync(join(tmpdir(), 'arcp-ledger-')), 'revocations.json');
    const got = await exchange(['--reference-credentials', ledger], [submit], (m) => m.type === 'job.result' || m.type === 'job.error');
    const welcome = got.find((m) => m.type === 'session.welcome');
    expect(welcome.payload.capabilities.features).toEqual(['provisioned_credentials']);
    const accepted = got.find((m) => m.type === 'job.accepted');
    expect(accepted.payload.credentials).toHaveLength(1);
    expect(accepted.payload.credentials[0]).toMatchObject({ scheme: 'bearer', endpoint: 'https://gateway.reference.invalid/v1' });
    expect(got.find((m) => m.type === 'job.result')?.payload.result).toEqual({ hi: 1 });
    // the ledger exists and holds ids only, never credential values (§14 confidentiality)
    expect(readFileSync(ledger, 'utf8')).not.toContain(accepted.payload.credentials[0].value);
  }, 120_000);

  it('without a ledger the feature is not advertised', async () => {
    const got = await exchange([], [], (m) => m.type === 'session.welcome');
    expect(got[0].payload.capabilities.features).toEqual([]);
  }, 120_000);
});
