// Invariant: a job handle holds credential values only while the job runs (§9.8, §14): a
// `status credential_rotated` replaces the value it names, and at the terminal every value is
// dropped from the handle and from events still buffered on it.
import { describe, expect, it } from 'vitest';
import { ARCPClient } from '../client.js';
import { FakePeer, settle } from './support/fake-peer.js';

const JOB = 'job_01JCREDAAAAAAAAAAAAAAAAAAA';
const cred = { id: 'cred_1', scheme: 'bearer', value: 'secret-one', endpoint: 'https://models.example/v1' };

async function submitted() {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 't', version: '1' }, token: 't' });
  const p = client.connect(peer.clientSide);
  await peer.welcome();
  await p;
  const h = client.submit({ agent: 'echo' });
  await peer.accept(JOB, { credentials: [cred] });
  return { peer, client, handle: await h };
}

describe('credential values on job handles', () => {
  it('follows a rotation while live and drops every value at the terminal', async () => {
    const { peer, client, handle } = await submitted();
    expect(handle.credentials).toEqual([cred]);
    peer.event(JOB, 'status', { phase: 'credential_rotated', message: 'cred_1', details: { id: 'cred_1', value: 'secret-two' } });
    await settle();
    expect(handle.credentials?.map((c) => c.value)).toEqual(['secret-two']);
    peer.sendSeq('job.result', JOB, { final_status: 'success', result: 1 });
    await handle.done;
    expect(handle.credentials).toBeUndefined();
    // The rotated event was never consumed: it is still buffered, but without the value.
    const seen: unknown[] = [];
    for await (const ev of handle.events()) seen.push(ev.body);
    expect(seen).toEqual([{ phase: 'credential_rotated', message: 'cred_1', details: { id: 'cred_1' } }]);
    expect(JSON.stringify(handle)).not.toMatch(/secret-(one|two)/);
    await client.close();
  });

  it('drops values when the job fails and when the session breaks under it', async () => {
    const { peer, client, handle } = await submitted();
    peer.sendSeq('job.error', JOB, { final_status: 'error', code: 'INTERNAL_ERROR', message: 'x', retryable: true });
    await handle.done.catch(() => undefined);
    expect(handle.credentials).toBeUndefined();
    await client.close();

    const second = await submitted();
    await second.peer.close();
    await second.handle.done.catch(() => undefined);
    expect(second.handle.credentials).toBeUndefined();
    await second.client.close();
  });
});
