// Issue 13: the eviction notice's `resumable_from_seq` went stale after the first eviction of
// an episode (one notice, then silence while the buffer kept turning over). Now the notice is
// refreshed each time the buffer has turned over, so the last bound a client got is never off
// by more than one buffer, and a flood still produces few notices.
import { afterEach, expect, it } from 'vitest';
import type { ARCPRuntime } from '../runtime.js';
import { connected, makeRuntime } from './support/runtime-fixture.js';
import { TestPeer } from './support/test-peer.js';

let runtime: ARCPRuntime;
afterEach(async () => runtime?.close());

it('keeps resumable_from_seq fresh through a long eviction episode (no acks)', async () => {
  const HELD = 50;
  const LOGS = 1000;
  runtime = makeRuntime({ maxEventsPerSession: HELD, backPressureThreshold: 10 });
  runtime.registerAgent('flood', (_i, ctx) => {
    for (let i = 0; i < LOGS; i++) ctx.log('info', `n ${i}`);
    return 'done';
  });
  const peer = await connected(runtime);
  const jobId = (await peer.accepted(peer.submit('flood'))).payload.job_id;
  await peer.terminal(jobId);
  const notices = peer.ofType('job.event').filter((m) => m.payload.body?.details?.reason === 'resume_buffer_evicted');
  const bounds = notices.map((m) => m.payload.body.details.resumable_from_seq as number);
  const finalFreed = runtime.store.stats(peer.sessionId!).freedThrough;
  // Fresh: the last bound is within one buffer of the truth at the end.
  expect(finalFreed - bounds.at(-1)!).toBeLessThanOrEqual(HELD + 2);
  // Each notice told the truth when sent: resuming at that bound was possible then, so bounds rise.
  expect(bounds).toEqual([...bounds].sort((a, b) => a - b));
  expect(new Set(bounds).size).toBe(bounds.length);
  expect(notices.every((m) => m.payload.body.details.retained_events <= HELD)).toBe(true);
  // Rare: about one per buffer turnover.
  expect(notices.length).toBeLessThanOrEqual(Math.ceil(LOGS / HELD) + 1);
  // The store's current bound is what resume honours.
  await peer.close();
  await peer.settle();
  const back = TestPeer.connect(runtime);
  const w = await back.hello({ resume: { session_id: peer.sessionId!, resume_token: peer.resumeToken!, last_event_seq: finalFreed } });
  expect(w.type).toBe('session.welcome');
});
