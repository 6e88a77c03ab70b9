// Hostile and foreign input from the runtime: malformed, binary and oversized frames, vendor and
// unknown event kinds, every reserved kind with generated bodies, and fuzzed stray messages
// (valid and mutated, from the generated schemas) in the middle of a real job. None may cost the
// real job an event, crash the client or stall it.
import fc from 'fast-check';
import { runProperty } from '../../properties/run-property.js';
import { clientProperty, clientScenario } from '../check-types.js';
import type { ClientCheckContext, Session } from '../context.js';
import * as F from '../frames.js';
import { eventBodyArb, reservedKinds, strayCaseArb } from '../arbitraries.js';
import { requireResult, requireSeqs, require_, Violation } from './expect.js';

/** Runs a job whose stream is interleaved with `noise`; requires the real events and result intact. */
async function jobSurvives(ctx: ClientCheckContext, noise: (s: Session, jobId: string) => void | Promise<void>, what: string): Promise<void> {
  await ctx.start();
  const s = await ctx.open();
  const { jobId } = await ctx.submit(s);
  const seqs = [s.log(jobId, 'before')];
  await noise(s, jobId);
  seqs.push(s.log(jobId, 'after'));
  s.result(jobId, { result: { survived: true } });
  const t = await ctx.client.terminal(jobId);
  requireResult(t, { json: { survived: true } }, what);
  requireSeqs(ctx.client, jobId, seqs, what);
  require_(ctx.runtime.connections === 1, `${what}: the client reconnected`);
}

export const robustnessChecks = [
  clientScenario({
    id: '5/client/malformed-frames-survived',
    statements: ["S5-01"],
    spec: '§5',
    level: 'MUST',
    title: 'non-JSON text, a JSON array, a binary frame, a frame without type, unknown core and x-vendor types: dropped, and the job completes intact',
    async run(ctx) {
      await jobSurvives(
        ctx,
        (s) => {
          s.conn.send('{not json');
          s.conn.send('[1,2,3]');
          s.conn.send('"just a string"');
          s.conn.sendBinary(Buffer.from([1, 2, 3, 4]));
          s.conn.send({ arcp: '1.1', id: F.ids.message(), session_id: s.sessionId, payload: {} });
          s.conn.send(F.raw(F.envelopeOf('session.future_thing', { x: 1 }, { session_id: s.sessionId })));
          s.conn.send(F.raw(F.envelopeOf('x-vendor.acme.telemetry', { cpu: 0.5 }, { session_id: s.sessionId, extensions: { optional: true } })));
          s.conn.send(F.raw({ arcp: '9.9', id: F.ids.message(), type: 'job.event', session_id: s.sessionId, payload: {} }));
        },
        'malformed frames',
      );
    },
  }),

  clientScenario({
    id: '5/client/oversized-frame-survived',
    statements: [],
    spec: '§5',
    level: 'MUST',
    title: 'a 2 MiB unsequenced vendor frame is dropped (or read) without crashing, and the job completes intact',
    async run(ctx) {
      await jobSurvives(
        ctx,
        (s) => {
          s.conn.send(F.raw(F.envelopeOf('x-vendor.acme.blob', { data: 'x'.repeat(2 * 1024 * 1024) }, { session_id: s.sessionId, extensions: { optional: true } })));
        },
        'oversized frame',
      );
    },
  }),

  clientScenario({
    id: '8.2/client/vendor-kinds-tolerated',
    statements: ["S8.3-01"],
    spec: '§8.2, §8.3',
    level: 'MUST',
    title: 'x-vendor.* and unknown event kinds are ignored or shown, but still count toward event_seq: no gap, no resume, the job completes',
    async run(ctx) {
      await ctx.start();
      const s = await ctx.open();
      const { jobId } = await ctx.submit(s);
      const known = [s.log(jobId, 'one')];
      s.event(jobId, 'x-vendor.acme.trace', { span: 'abc', nested: { deep: [1, 2] } });
      s.seq += 1; // an unknown, unprefixed kind is outside even the lenient form: sent raw
      s.conn.send(F.raw(F.envelopeOf('job.event', { kind: 'future_kind', ts: F.isoNow(), body: { anything: true } }, { session_id: s.sessionId, job_id: jobId, event_seq: s.seq })));
      known.push(s.log(jobId, 'two'));
      s.result(jobId, { result: 'ok' });
      requireResult(await ctx.client.terminal(jobId), { json: 'ok' }, 'vendor kinds');
      const shown = ctx.client.events(jobId).map((e) => e.seq);
      for (const q of known) require_(shown.includes(q), `the log event seq ${q} after vendor kinds was not shown (shown ${shown.join(',')})`);
      require_(!ctx.client.observations.some((o) => o.obs === 'gap'), 'the client reported a gap over vendor-kind events');
      require_(ctx.runtime.connections === 1, 'the client reconnected over vendor-kind events');
    },
  }),

  clientProperty({
    id: '8.2/client/reserved-kinds-delivered',
    statements: [],
    spec: '§8.2, §8.2.1',
    level: 'MUST',
    title: 'a stream of every reserved kind with bodies generated from the schemas (incl. status back_pressure) reaches the application in order, kinds intact',
    async run(ctx) {
      const kinds = reservedKinds().filter((k) => k !== 'result_chunk');
      const arb = fc.tuple(...kinds.map((k) => eventBodyArb(k).map((body) => ({ kind: k, body }))));
      await runProperty(ctx, arb, async (events) => {
        await ctx.start();
        const s = await ctx.open();
        const { jobId } = await ctx.submit(s);
        const sent: { seq: number; kind: string }[] = [];
        for (const e of [...events, { kind: 'status', body: { phase: 'back_pressure', message: 'slow consumer' } }]) {
          if (e.kind === 'progress' && !s.has('progress')) continue;
          sent.push({ seq: s.event(jobId, e.kind, e.body), kind: e.kind });
        }
        s.result(jobId, { result: null });
        await ctx.client.terminal(jobId);
        requireSeqs(ctx.client, jobId, sent.map((x) => x.seq), 'reserved kinds');
        const shown = ctx.client.events(jobId).map((e) => e.kind);
        require_(shown.join(',') === sent.map((x) => x.kind).join(','), `kinds shown ${shown.join(',')}, sent ${sent.map((x) => x.kind).join(',')}`);
      });
    },
  }),

  clientProperty({
    id: '5/client/fuzzed-runtime-messages',
    statements: ["S5-01"],
    spec: '§5, §8.3',
    level: 'MUST',
    title: 'runtime-to-client messages generated from the schemas (valid and mutated, aimed at nothing open) in the middle of a job never cost it an event or its result',
    async run(ctx) {
      const arb = fc.array(strayCaseArb('sess_PLACEHOLDER'), { minLength: 1, maxLength: 5 });
      await runProperty(
        ctx,
        arb,
        async (cases) => {
          await jobSurvives(
            ctx,
            (s) => {
              for (const c of cases) s.conn.send(JSON.stringify(c.frame).replaceAll('sess_PLACEHOLDER', s.sessionId));
            },
            `${cases.length} stray frames`,
          );
        },
        { runsFactor: 2 },
      );
    },
  }),

  clientScenario({
    id: '5/client/silent-runtime-connect-fails',
    statements: [],
    spec: '§6.2',
    level: 'SHOULD',
    title: 'a runtime that accepts the connection and never answers the hello makes connect fail with an error within 12 s, not hang',
    async run(ctx) {
      await ctx.start();
      const reply = ctx.client.do({ op: 'connect', ...ctx.endpoint(), token: ctx.config.token }, 12_500);
      const conn = await ctx.runtime.accept();
      await conn.nextType('session.hello');
      const r = await reply.catch((e: Error) => e);
      if (r instanceof Violation) throw r;
      if (!(r instanceof Error) && r.ok) throw new Violation('connect succeeded without any welcome');
    },
  }),
];
