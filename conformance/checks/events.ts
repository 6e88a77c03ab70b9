// §8.2 event bodies, §8.3 sequencing, §8.4 result streaming.
import { field, type Envelope } from '../driver/wire.js';
import { SeqOracle } from '../model/seq-oracle.js';
import { AGENTS, inlineResult, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

/** The expected bytes of conformance.streamer (conformance-agents.md). */
export function streamerBytes(total: number, encoding: 'utf8' | 'base64'): Buffer {
  const out = Buffer.alloc(total);
  for (let k = 0; k < total; k++) out[k] = encoding === 'utf8' ? 97 + (k % 26) : k % 256;
  return out;
}

/** Checks §8.4 on one job's frames; returns the assembled bytes. */
export function checkChunks(frames: readonly Envelope[], jobId: string): Buffer {
  const chunks = frames.filter((m) => m.type === 'job.event' && m.job_id === jobId && field(m, 'payload', 'kind') === 'result_chunk');
  const term = frames.find((m) => (m.type === 'job.result' || m.type === 'job.error') && m.job_id === jobId);
  require_(term?.type === 'job.result', `streamer ended with ${String(term?.type)}`, term);
  require_(chunks.length > 0, 'no result_chunk events');
  const resultId = field(chunks[0], 'payload', 'body', 'result_id');
  const parts: Buffer[] = [];
  chunks.forEach((c, i) => {
    const body = field(c, 'payload', 'body');
    require_(field(body, 'result_id') === resultId, `chunk ${i} has result_id ${String(field(body, 'result_id'))}, not ${String(resultId)}`);
    require_(field(body, 'chunk_seq') === i, `chunk ${i} has chunk_seq ${String(field(body, 'chunk_seq'))} (0-based, in order)`);
    const more = field(body, 'more');
    require_(more === (i < chunks.length - 1), `chunk ${i} has more=${String(more)}`);
    const data = String(field(body, 'data') ?? '');
    parts.push(field(body, 'encoding') === 'base64' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8'));
  });
  require_(field(term, 'payload', 'result_id') === resultId, 'job.result does not carry the chunks\' result_id', term);
  require_(inlineResult(term!) === undefined, 'job.result mixes an inline result with result_chunk events');
  return Buffer.concat(parts);
}

export const eventChecks: CheckDef[] = [
  scenario({
    id: '8.3/seq/gap-free-concurrent',
    statements: ['S8.3-01'],
    spec: '§8.3',
    level: 'MUST',
    title: 'event_seq is session-scoped, strictly monotonic and gap-free across concurrent jobs',
    agents: [AGENTS.chatty, AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const ids = await Promise.all([
        ctx.submit(s, AGENTS.chatty, { n: 12 }),
        ctx.submit(s, AGENTS.chatty, { n: 7, message: 'b' }),
        ctx.submit(s, AGENTS.echo, { e: 1 }),
      ]);
      for (const id of ids) await ctx.terminal(s, id);
      const oracle = new SeqOracle().observeAll(s.conn.messages());
      oracle.requireTerminals(ids);
      require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
    },
  }),
  scenario({
    id: '8.3/seq/starts-at-one',
    statements: [],
    spec: '§8.3',
    level: 'interop',
    title: 'the first event_seq of a session is 1 (catalog §9 #20)',
    agents: [AGENTS.echo],
    async run(ctx) {
      const s = await ctx.open('A');
      const id = await ctx.submit(s, AGENTS.echo, {});
      await ctx.terminal(s, id);
      const first = s.conn.messages().find((m) => typeof m.event_seq === 'number');
      require_(first?.event_seq === 1, `first event_seq is ${String(first?.event_seq)}`);
    },
  }),
  scenario({
    id: '8.2/chatty/log-events',
    statements: ['S8.1-01', 'S8.2-01'],
    spec: '§8.2',
    level: 'MUST',
    title: 'conformance.chatty {n} yields n log events in order, then success {count: n}',
    agents: [AGENTS.chatty],
    async run(ctx) {
      const s = await ctx.open('A');
      const id = await ctx.submit(s, AGENTS.chatty, { n: 5, message: 'tick' });
      const term = await ctx.terminal(s, id);
      const logs = s.conn.messages().filter((m) => m.job_id === id && field(m, 'payload', 'kind') === 'log');
      require_(logs.length === 5, `${logs.length} log events, expected 5`);
      logs.forEach((l, i) => {
        const msg = field(l, 'payload', 'body', 'message');
        if (msg !== `tick ${i + 1}`) throw new Violation(`log ${i + 1} says ${JSON.stringify(msg)}`);
      });
      require_(field(inlineResult(term), 'count') === 5, 'result is not {count: 5}', term);
    },
  }),
  scenario({
    id: '8.2.1/progress/shape',
    statements: ['S8.2.1-01'],
    spec: '§8.2.1',
    level: 'MUST',
    title: 'progress events carry a non-negative current (<= total is the SHOULD check 8.2.1/progress/within-total)',
    feature: 'progress',
    agents: [AGENTS.slow],
    async run(ctx) {
      const s = await ctx.open('A');
      const id = await ctx.submit(s, AGENTS.slow, { steps: 3, interval_ms: 5 });
      await ctx.terminal(s, id);
      const ps = s.conn.messages().filter((m) => m.job_id === id && field(m, 'payload', 'kind') === 'progress');
      require_(ps.length === 3, `${ps.length} progress events, expected 3`);
      for (const p of ps) {
        const cur = field(p, 'payload', 'body', 'current');
        require_(typeof cur === 'number' && cur >= 0, `progress current is ${String(cur)}`);
      }
    },
  }),
  scenario({
    id: '8.4/chunks/utf8-assembly',
    statements: ['S8.4-01', 'S8.4-02', 'S8.4-03', 'S8.4-04', 'S8.4-05', 'S8.4-06'],
    spec: '§8.4',
    level: 'MUST',
    title: 'result_chunk: one result_id, chunk_seq 0.. in order, more=false only last, job.result carries result_id and no inline result; bytes assemble',
    feature: 'result_chunk',
    agents: [AGENTS.streamer],
    async run(ctx) {
      const s = await ctx.open('A');
      const id = await ctx.submit(s, AGENTS.streamer, { chunks: 5, chunk_size: 7, encoding: 'utf8' });
      await ctx.terminal(s, id);
      const bytes = checkChunks(s.conn.messages(), id);
      require_(bytes.equals(streamerBytes(35, 'utf8')), `assembled ${bytes.length} bytes differ from the expected 35`);
    },
  }),
  scenario({
    id: '8.4/chunks/base64-assembly',
    statements: ['S8.4-01', 'S8.4-02', 'S8.4-03', 'S8.4-05', 'S8.4-06'],
    spec: '§8.4',
    level: 'MUST',
    title: 'base64 result chunks decode and assemble to the streamed bytes',
    feature: 'result_chunk',
    agents: [AGENTS.streamer],
    async run(ctx) {
      const s = await ctx.open('A');
      const id = await ctx.submit(s, AGENTS.streamer, { chunks: 3, chunk_size: 300, encoding: 'base64' });
      await ctx.terminal(s, id);
      const bytes = checkChunks(s.conn.messages(), id);
      require_(bytes.equals(streamerBytes(900, 'base64')), `assembled ${bytes.length} bytes differ from the expected 900`);
    },
  }),
];
