// §6.4 "two consecutive intervals": the permission to declare a silent counterpart dead starts
// only after two heartbeat intervals. Found by a fault (HEARTBEAT_LOST after one interval) that
// every other check missed: the loss check waits long enough for either.
import { field } from '../driver/wire.js';
import { scenario } from './define.js';
import { require_, Skip, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

/** Longest heartbeat interval this check waits (it waits almost two intervals). */
const MAX_HEARTBEAT_SEC = 5;

export const heartbeatTimingChecks: CheckDef[] = [
  scenario({
    id: '6.4/heartbeat/no-early-loss',
    statements: ['S6.4-05'],
    spec: '§6.4',
    level: 'MUST',
    gradeReason: 'the MAY permits treating the connection as dead only after two silent intervals; a peer that gives up earlier cuts off clients that send one message per interval, as §6.4 asks of them',
    title: 'a client silent for less than two heartbeat intervals is not declared dead (no HEARTBEAT_LOST, the transport stays open)',
    feature: 'heartbeat',
    async run(ctx) {
      // taken before the hello: the client's silence as the peer sees it is never longer than now - t0
      const t0 = performance.now();
      const s = await ctx.open('A');
      s.conn.autoPong = false;
      const intervalSec = Number(field(s.welcome.payload, 'heartbeat_interval_sec') ?? 30);
      if (intervalSec > MAX_HEARTBEAT_SEC) {
        throw new Skip(`heartbeat_interval_sec ${intervalSec} s is too long for this check; run the peer with <= ${MAX_HEARTBEAT_SEC} s`);
      }
      const twoIntervals = 2 * intervalSec * 1000;
      // stop a tenth of an interval short of two intervals of silence
      const closed = await s.conn.waitClosed(Math.max(0, t0 + twoIntervals - intervalSec * 100 - performance.now()));
      const silentMs = Math.round(performance.now() - t0);
      const lost = s.conn.messages().find((m) => m.type === 'session.error' && field(m, 'payload', 'code') === 'HEARTBEAT_LOST');
      if (closed && silentMs < twoIntervals) {
        throw new Violation(`the peer closed the transport after at most ${silentMs} ms of client silence (heartbeat_interval_sec ${intervalSec}: two intervals are ${twoIntervals} ms)`);
      }
      require_(lost === undefined || silentMs >= twoIntervals, `HEARTBEAT_LOST within ${silentMs} ms of client silence (two intervals are ${twoIntervals} ms)`);
    },
  }),
];
