// Issue 12, SQLite: a real `arcp serve --store sqlite:FILE` child is killed with SIGKILL during
// heavy writes, restarted on the same file, and killed again, several times. After each
// restart the same client session resumes and must get:
//   - every event it had received and not acknowledged, replayed byte for byte (an event is sent
//     only once it is committed, so nothing a client saw can be missing after a crash), with a
//     gap-free seq range from its ack position on;
//   - a terminal for every job it saw accepted but not finish: the job's real terminal if it was
//     committed before the crash, else job.error INTERNAL_ERROR retryable, details.reason
//     runtime_restarted (docs/store.md, spec §12 and §7.3);
// and finished jobs are still listed, idempotency keys still name their job, and after every
// kill `PRAGMA integrity_check` on the file says ok.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, type ServeChild } from './support/serve-child.js';
import { WsPeer, type Msg } from './support/ws-peer.js';

const CYCLES = Number(process.env.STORE_KILL_CYCLES ?? 4);
const dir = mkdtempSync(join(tmpdir(), 'arcp-kill9-'));
const file = join(dir, 'arcp.db');
let serve: ServeChild | undefined;
afterAll(async () => {
  await serve?.kill9();
  rmSync(dir, { recursive: true, force: true });
});

function integrity(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

async function list(peer: WsPeer, filter: Record<string, unknown>): Promise<{ job_id: string; status: string }[]> {
  const id = peer.send('session.list_jobs', { filter, limit: 1000 });
  return (await peer.find((m) => m.type === 'session.jobs' && m.payload?.request_id === id)).payload.jobs;
}

describe('arcp serve --store sqlite: kill -9 during heavy writes, restart, resume', () => {
  it(`survives ${CYCLES} SIGKILLs: exact replay, restart terminals, listing, idempotency keys, integrity_check ok`, async () => {
    let session: { id: string; token: string } | undefined;
    let acked = 0;
    const seen = new Map<number, string>();
    let maxSeen = 0;
    let unfinished = new Set<string>();
    const finished: { jobId: string; key: string }[] = [];
    let restartTerminals = 0;

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      serve = await startServe(['--store', `sqlite:${file}`]);
      const peer = await WsPeer.open(serve.url);
      if (!session) {
        expect((await peer.hello()).type).toBe('session.welcome');
      } else {
        const welcome = await peer.hello({ resume: { session_id: session.id, resume_token: session.token, last_event_seq: acked } });
        expect(welcome.type, JSON.stringify(welcome.payload)).toBe('session.welcome');
        expect(welcome.session_id).toBe(session.id);
        // every job seen accepted but not finished gets a terminal on resume
        for (const jobId of unfinished) {
          const t = await peer.terminal(jobId);
          if (t.type === 'job.error' && t.payload.details?.reason === 'runtime_restarted') {
            expect(t.payload).toMatchObject({ code: 'INTERNAL_ERROR', retryable: true, final_status: 'error' });
            restartTerminals++;
          }
        }
        // exact replay: gap-free from the ack position, byte-identical to what was seen
        const replayed = peer.sequenced();
        expect(replayed.map((m) => m.event_seq)).toEqual(replayed.map((_, i) => acked + 1 + i));
        expect(replayed[replayed.length - 1]!.event_seq!).toBeGreaterThanOrEqual(maxSeen);
        for (let k = 0; k < replayed.length; k++) {
          const seq = replayed[k]!.event_seq!;
          if (seq <= maxSeen) expect(peer.frames[peer.msgs.indexOf(replayed[k]!)]).toBe(seen.get(seq));
        }
        // finished jobs still listed, idempotency keys still answer with their job
        const echoes = await list(peer, { agent: 'conformance.echo' });
        for (const f of finished) expect(echoes.find((j) => j.job_id === f.jobId)?.status).toBe('success');
        const probe = finished[finished.length - 1]!;
        const again = await peer.accepted(peer.submit('conformance.echo', { key: probe.key }, { idempotency_key: probe.key }));
        expect(again.payload.job_id).toBe(probe.jobId);
      }
      session = { id: peer.sessionId!, token: peer.resumeToken! };
      unfinished = new Set();
      seen.clear();
      maxSeen = acked;

      // heavy writes: a long job that will be running at the crash, a finished job with a key,
      // then floods of 3,000 events per job until the kill
      const track = (m: Msg): void => {
        if (m.event_seq !== undefined && m.event_seq > maxSeen) maxSeen = m.event_seq;
      };
      const slow = await peer.accepted(peer.submit('conformance.slow', { steps: 100_000, interval_ms: 20 }));
      unfinished.add(slow.payload.job_id);
      const key = `k-${cycle}`;
      const echo = await peer.accepted(peer.submit('conformance.echo', { key }, { idempotency_key: key }));
      await peer.terminal(echo.payload.job_id);
      finished.push({ jobId: echo.payload.job_id, key });
      let flooding = true;
      const flood = (async () => {
        while (flooding) {
          const a = await peer.accepted(peer.submit('conformance.chatty', { n: 3000 }));
          if (a.type !== 'job.accepted') continue;
          unfinished.add(a.payload.job_id);
          await peer.terminal(a.payload.job_id);
          unfinished.delete(a.payload.job_id);
          for (const m of peer.sequenced()) track(m);
          peer.send('session.ack', { last_processed_seq: maxSeen });
          acked = maxSeen;
        }
      })().catch(() => undefined); // the connection dies with the child
      await new Promise((r) => setTimeout(r, 400 + Math.floor(Math.random() * 600)));
      await serve.kill9();
      flooding = false;
      await flood;
      await peer.close();
      for (let i = 0; i < peer.msgs.length; i++) {
        const m = peer.msgs[i]!;
        if (m.event_seq === undefined) continue;
        track(m);
        seen.set(m.event_seq, peer.frames[i]!);
        if (m.type !== 'job.event') unfinished.delete(m.job_id!);
      }
      expect(integrity(file)).toBe('ok');
    }

    // the last crash's running jobs end on one more resume, and the file is still fine
    serve = await startServe(['--store', `sqlite:${file}`]);
    const peer = await WsPeer.open(serve.url);
    expect((await peer.hello({ resume: { session_id: session!.id, resume_token: session!.token, last_event_seq: acked } })).type).toBe('session.welcome');
    for (const jobId of unfinished) await peer.terminal(jobId);
    expect(restartTerminals).toBeGreaterThanOrEqual(CYCLES - 1);
    await serve.stop();
    expect(integrity(file)).toBe('ok');
  }, 240_000);
});
