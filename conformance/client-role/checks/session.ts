// §5, §6.1, §6.2, §6.7 from the client's side: what it sends to open, negotiate and close, and
// that unknown envelope fields never cost it an event.
import fc from 'fast-check';
import { ALL_FEATURES, field } from '../../driver/wire.js';
import { runProperty } from '../../properties/run-property.js';
import { clientProperty, clientScenario } from '../check-types.js';
import * as F from '../frames.js';
import { requireResult, requireSeqs, require_, Violation } from './expect.js';

/** Message types each feature gates on the client's side (generated registry facts would list runtime ones too). */
const GATED_SENDS: Record<string, string> = { 'session.ack': 'ack', 'session.list_jobs': 'list_jobs', 'job.subscribe': 'subscribe', 'job.unsubscribe': 'subscribe', 'session.ping': 'heartbeat' };

export const sessionChecks = [
  clientScenario({
    id: '6.1/client/hello-first-with-bearer',
    statements: [],
    spec: '§6.1, §6.2',
    level: 'MUST',
    title: 'the first frame is session.hello with auth {scheme: bearer, token}; nothing else is sent before the welcome',
    async run(ctx) {
      await ctx.start();
      const reply = ctx.client.do({ op: 'connect', ...ctx.endpoint(), token: ctx.config.token });
      reply.catch(() => undefined);
      const conn = await ctx.runtime.accept();
      const first = await conn.next(() => true, 'a first frame');
      require_(first.type === 'session.hello', `first frame is ${String(first.type)}, not session.hello`, first);
      require_(field(first, 'payload', 'auth', 'scheme') === 'bearer', `auth.scheme is ${JSON.stringify(field(first, 'payload', 'auth', 'scheme'))}, not "bearer"`, first);
      require_(field(first, 'payload', 'auth', 'token') === ctx.config.token, 'auth.token is not the token the application gave', first);
      await ctx.sleep(200);
      require_(conn.frames.length === 1, `the client sent ${conn.frames.slice(1).map((f) => String(f.type)).join(', ')} before any welcome`);
      conn.send(F.welcome(F.ids.session(), F.ids.token(), { features: [] }));
      const r = await reply;
      require_(r.ok, 'connect failed after a valid welcome');
    },
  }),

  clientScenario({
    id: '5/client/unknown-envelope-fields-ignored',
    statements: ["S5-01"],
    spec: '§5',
    level: 'MUST',
    title: 'unknown top-level fields on welcome, accepted, events and result (Rust-style timestamp, priority, x_future) cost no frame',
    async run(ctx) {
      await ctx.start();
      const extra = { timestamp: new Date().toISOString(), priority: 'high', x_future: { nested: [1, 2] }, correlation_id: 'c1' };
      const s = await ctx.open({ welcomeExtra: extra });
      const { jobId } = await ctx.submit(s, {}, {});
      const seqs: number[] = [];
      for (let i = 0; i < 3; i++) {
        s.seq += 1;
        s.conn.send({ ...F.event(s.sessionId, jobId, s.seq, 'log', { level: 'info', message: `m${i}` }), ...extra });
        seqs.push(s.seq);
      }
      s.seq += 1;
      s.conn.send({ ...F.result(s.sessionId, jobId, s.seq, { result: { n: 3 } }), ...extra });
      const t = await ctx.client.terminal(jobId);
      requireSeqs(ctx.client, jobId, seqs, 'events with unknown fields');
      requireResult(t, { json: { n: 3 } }, 'result with unknown fields');
    },
  }),

  clientScenario({
    id: '6.2/client/no-feature-outside-intersection',
    statements: ["S6.2-01"],
    spec: '§6.2',
    level: 'MUST',
    title: 'with a welcome that negotiates no feature, ack / list / subscribe are refused locally and no gated message (ack, list_jobs, subscribe, ping) is sent',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ runtimeFeatures: [], autoAck: true });
      const { jobId } = await ctx.submit(s);
      for (let i = 0; i < 40; i++) s.log(jobId, `e${i}`);
      for (const cmd of [{ op: 'ack' as const }, { op: 'list' as const }, { op: 'subscribe' as const, job_id: jobId }]) {
        const r = await ctx.client.do(cmd);
        void r; // a library may refuse (expected) or claim success; only the wire decides
      }
      await ctx.sleep(600);
      const bad = s.conn.frames.filter((f) => GATED_SENDS[String(f.type)]);
      if (bad.length) throw new Violation(`the client sent ${bad.map((f) => String(f.type)).join(', ')} although the welcome negotiated no feature (§6.2)`);
    },
  }),

  clientProperty({
    id: '6.2/client/random-feature-subsets',
    statements: ["S6.2-01"],
    spec: '§6.2',
    level: 'MUST',
    title: 'for random advertised and welcomed feature subsets (the welcome may even list features the client never offered), the client uses only the intersection',
    async run(ctx) {
      const gated = ['ack', 'list_jobs', 'subscribe', 'heartbeat'];
      const arb = fc.record({ client: fc.subarray([...ALL_FEATURES]), runtime: fc.subarray([...ALL_FEATURES]) });
      await runProperty(ctx, arb, async ({ client, runtime }) => {
        await ctx.start();
        const s = await ctx.open({ clientFeatures: client, runtimeFeatures: runtime, unfiltered: true, autoAck: true, heartbeatSec: 1 });
        const allowed = new Set<string>(client.filter((f) => runtime.includes(f)));
        const { jobId } = await ctx.submit(s);
        for (let i = 0; i < 40; i++) s.log(jobId, `e${i}`);
        for (const cmd of [{ op: 'ack' as const }, { op: 'list' as const }, { op: 'subscribe' as const, job_id: jobId }]) {
          const p = ctx.client.do(cmd, 1500);
          // a library that does send the request waits for an answer: give it an error reply
          await ctx.sleep(30);
          const last = s.conn.frames[s.conn.frames.length - 1];
          if (last && (last.type === 'session.list_jobs' || last.type === 'job.subscribe')) {
            s.conn.send(F.sessionError(s.sessionId, 'INVALID_REQUEST', { request_id: last.id }));
          }
          await p.catch(() => undefined);
        }
        await ctx.sleep(300);
        const bad = s.conn.frames.filter((f) => {
          const feature = GATED_SENDS[String(f.type)];
          return feature && gated.includes(feature) && !allowed.has(feature);
        });
        if (bad.length) {
          throw new Violation(`negotiated {${[...allowed].join(', ')}}: the client sent ${bad.map((f) => String(f.type)).join(', ')} (§6.2)`);
        }
      });
    },
  }),

  clientScenario({
    id: '6.7/client/nothing-after-close',
    statements: ["S6.7-01"],
    spec: '§6.7',
    level: 'MUST',
    title: 'close sends session.close (or session.bye), and afterwards the client sends nothing, even when asked to submit or ack',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open({ autoAck: true, heartbeatSec: 1 });
      const { jobId } = await ctx.submit(s);
      s.log(jobId, 'before close');
      const closing = ctx.client.do({ op: 'close', reason: 'done' });
      const c = await s.conn.nextType(['session.close', 'session.bye']);
      s.conn.send(F.closed(s.sessionId, 'done'));
      await closing;
      await ctx.client.do({ op: 'submit', agent: 'conformance.echo', input: {} }, 1500).catch(() => undefined);
      await ctx.client.do({ op: 'ack' }, 1500).catch(() => undefined);
      await ctx.sleep(1200);
      const late = s.conn.frames.slice(s.conn.frames.indexOf(c) + 1);
      require_(ctx.runtime.connections === 1, `after ${String(c.type)} the client opened another connection`);
      if (late.length) throw new Violation(`after ${String(c.type)} the client sent ${late.map((f) => String(f.type)).join(', ')}`);
    },
  }),
];
