// Issue 12 / §14 "Cross-session subscription audit": the audit log is read back after a
// restart. Every job.subscribe decision a runtime made before it died is returned by the next
// runtime's readAudit() on the same store (real SQLite, real redis-server), in order, with
// `since` and `limit`; without a store the built-in sinks answer; bad queries are typed errors.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import type { AuditRecord } from '../../runtime-kit/runtime/audit/audit-log.js';
import { TestPeer, type Msg } from '../../runtime-kit/runtime/test/support/test-peer.js';
import { storeEngines } from './support/store-engines.js';

const { engines, cleanup, tempDir } = storeEngines('the redis case of audit-readback', ['sqlite', 'redis']);

function runtime(opts: ConstructorParameters<typeof ARCPRuntime>[0] = {}): ARCPRuntime {
  const rt = new ARCPRuntime({ tokens: { t: 'alice', u: 'bob' }, logger: () => undefined, ...opts });
  rt.registerAgent('hang', async (_input, ctx) => {
    await new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
  });
  cleanup(() => rt.close());
  return rt;
}

async function subscribe(peer: TestPeer, jobId: string): Promise<Msg> {
  const id = peer.send('job.subscribe', { job_id: jobId });
  return peer.find((m) => (m.type === 'job.subscribed' || m.type === 'session.error') && m.payload?.request_id === id);
}

/** Three decisions: alice on her own job (allowed), bob on it (denied), bob on no job (not_found). */
async function makeDecisions(rt: ARCPRuntime): Promise<string> {
  const alice = TestPeer.connect(rt);
  await alice.hello();
  const jobId = (await alice.accepted(alice.submit('hang'))).payload.job_id as string;
  const bob = TestPeer.connect(rt);
  await bob.hello({ token: 'u' });
  expect((await subscribe(alice, jobId)).type).toBe('job.subscribed');
  await new Promise((r) => setTimeout(r, 5)); // distinct timestamps for the `since` check
  expect((await subscribe(bob, jobId)).payload.code).toBe('JOB_NOT_FOUND');
  await new Promise((r) => setTimeout(r, 5));
  expect((await subscribe(bob, 'job_01JNOSUCHJOB0000000000000')).payload.code).toBe('JOB_NOT_FOUND');
  // Each answer was sent only once the store had committed what came before it, the audit
  // record included (Session.whenDurable): a client that saw the answer saw a durable record.
  return jobId;
}

describe.each(engines)('audit log read back from the $name store', (engine) => {
  it('the decisions made before the restart are all there, in order, with since and limit', async () => {
    const store = await engine.open();
    const first = runtime({ store });
    await first.ready();
    const jobId = await makeDecisions(first);
    // the first runtime is never used again ("the process died"); a new one on the same store
    const second = runtime({ store: await engine.reopen(store) });
    await second.ready();
    const records = await second.readAudit();
    expect(records.map((r) => [r.subscriber_principal, r.job_id, r.decision])).toEqual([
      ['alice', jobId, 'allowed'],
      ['bob', jobId, 'denied'],
      ['bob', 'job_01JNOSUCHJOB0000000000000', 'not_found'],
    ]);
    expect(records[1]).toMatchObject({ event: 'job.subscribe', target_principal: 'alice' });
    expect(await second.readAudit({ limit: 1 })).toEqual(records.slice(0, 1));
    expect(await second.readAudit({ since: records[1]!.ts })).toEqual(records.filter((r) => r.ts >= records[1]!.ts));
    expect(await second.readAudit({ since: '2999-01-01T00:00:00Z' })).toEqual([]);
  });
});

describe('readAudit without a store, and bad queries', () => {
  it('the default in-memory sink answers', async () => {
    const rt = runtime();
    await makeDecisions(rt);
    expect((await rt.readAudit()).map((r) => r.decision)).toEqual(['allowed', 'denied', 'not_found']);
  });

  it('a JSON-lines file sink answers (a torn last line is skipped, a torn middle line is an error)', async () => {
    const file = join(tempDir(), 'audit.jsonl');
    const rt = runtime({ auditLog: { file } });
    await makeDecisions(rt);
    const records = await rt.readAudit();
    expect(records.map((r) => r.decision)).toEqual(['allowed', 'denied', 'not_found']);
    const lines = records.map((r) => JSON.stringify(r));
    writeFileSync(file, `${lines.join('\n')}\n{"ts":"20`);
    expect(await rt.readAudit()).toHaveLength(3);
    writeFileSync(file, `${lines[0]}\n{"ts":"20\n${lines[1]}\n`);
    await expect(rt.readAudit()).rejects.toMatchObject({ code: 'ARCP_KIT_AUDIT_CORRUPT' });
  });

  it('an embedder sink cannot be read back: ARCP_KIT_AUDIT_UNREADABLE', async () => {
    const seen: AuditRecord[] = [];
    const rt = runtime({ auditLog: { write: (r) => seen.push(r) } });
    await expect(rt.readAudit()).rejects.toMatchObject({ code: 'ARCP_KIT_AUDIT_UNREADABLE' });
  });

  it('a since that is not a time, or a bad limit: ARCP_KIT_BAD_AUDIT_QUERY', async () => {
    const rt = runtime();
    await expect(rt.readAudit({ since: 'yesterday' })).rejects.toMatchObject({ code: 'ARCP_KIT_BAD_AUDIT_QUERY' });
    await expect(rt.readAudit({ limit: 0 })).rejects.toMatchObject({ code: 'ARCP_KIT_BAD_AUDIT_QUERY' });
    await expect(rt.readAudit({ limit: 1.5 })).rejects.toMatchObject({ code: 'ARCP_KIT_BAD_AUDIT_QUERY' });
  });
});
