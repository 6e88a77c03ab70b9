// Issue 13, amplification: every live subscriber of a job gets its own re-stamped copy of each
// of the job's frames (§7.6), built, stored and written in the same turn as the original. The
// fair share (maxFramesPerTick) counted only the original, so 60 sessions of one principal
// subscribed to one chatty job turned its 256 frames a turn into 15,616, and another
// principal's ping waited 361 ms. The copies now count against the turn's budget too, so the
// job's output slows with its audience instead of the loop stalling for everyone.
import { expect, it } from 'vitest';
import { Session } from '../../runtime-kit/runtime/session.js';
import { RawWs } from './support/raw-ws.js';
import { startTarget } from './support/target.js';
import { targetPerTest } from './support/target-per-test.js';

const slot = targetPerTest();

it('copies forwarded to live subscribers count against maxFramesPerTick', async () => {
  const PER_TURN = 16;
  const SUBSCRIBERS = 8;
  const target = (slot.target = await startTarget({ limits: { maxFramesPerTick: PER_TURN } }));
  const owner = await RawWs.open(target.url);
  slot.peers.push(owner);
  const ow = await owner.welcome('t-alice');
  owner.send('job.submit', { agent: 'attack.flood', input: { count: 3000, size: 10, batch: 50 } }, { session_id: ow.session_id });
  const first = await owner.find((f) => f.type === 'job.event' && f.payload?.kind === 'log');
  const watchers: RawWs[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const w = await RawWs.open(target.url);
    slot.peers.push(w);
    watchers.push(w);
    const ww = await w.welcome('t-alice');
    w.send('job.subscribe', { job_id: first.job_id }, { session_id: ww.session_id });
  }
  await Promise.all(watchers.map((w) => w.find((f) => f.type === 'job.subscribed')));

  // Sequenced frames built per event-loop iteration (one fair-share turn each), while the job streams.
  let frames = 0;
  let most = 0;
  const original = Session.prototype.emitSequenced;
  Session.prototype.emitSequenced = function (this: Session, ...args: Parameters<Session['emitSequenced']>) {
    frames++;
    return original.apply(this, args);
  };
  let streaming = true;
  const tick = (): void => {
    most = Math.max(most, frames);
    frames = 0;
    if (streaming) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await owner.find((f) => f.type === 'job.result', 60_000);
    await Promise.all(watchers.map((w) => w.find((f) => f.type === 'job.result', 60_000)));
  } finally {
    streaming = false;
    Session.prototype.emitSequenced = original;
  }
  // One turn may overshoot by one frame's copies (its forwards follow the frame that took the last unit).
  // Before: PER_TURN x (1 + SUBSCRIBERS) = 144 and more.
  expect(most).toBeLessThanOrEqual(2 * PER_TURN + SUBSCRIBERS);
  for (const w of watchers) expect(w.open).toBe(true);
}, 90_000);
