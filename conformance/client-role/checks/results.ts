// §8.4 result streaming from the client's side: exact assembly by chunk_seq whatever the arrival
// order and encodings, and no assembled result when a chunk is missing.
import fc from 'fast-check';
import { runProperty } from '../../properties/run-property.js';
import { clientProperty, clientScenario } from '../check-types.js';
import type { ClientCheckContext } from '../context.js';
import * as F from '../frames.js';
import { requireResult, Violation } from './expect.js';

interface Piece {
  bytes: Buffer;
  encoding: 'utf8' | 'base64';
}

/** Streams `pieces` as result_chunk events in the given arrival `order`, then the job.result. */
async function streamChunks(ctx: ClientCheckContext, pieces: readonly Piece[], order: readonly number[], o: { omit?: number } = {}) {
  await ctx.start();
  const s = await ctx.open();
  if (!s.has('result_chunk')) throw new Violation('result_chunk was advertised but not negotiated (harness lists it)');
  const { jobId } = await ctx.submit(s);
  const resultId = F.ids.result();
  for (const i of order) {
    if (i === o.omit) continue;
    const p = pieces[i];
    const data = p.encoding === 'utf8' ? p.bytes.toString('utf8') : p.bytes.toString('base64');
    s.event(jobId, 'result_chunk', F.chunkBody(resultId, i, data, p.encoding, i < pieces.length - 1));
  }
  const total = Buffer.concat(pieces.map((p) => p.bytes));
  s.result(jobId, { result_id: resultId, result_size: total.length });
  return { jobId, total, resultId };
}

const utf8 = (t: string): Piece => ({ bytes: Buffer.from(t, 'utf8'), encoding: 'utf8' });
const b64 = (b: Buffer): Piece => ({ bytes: b, encoding: 'base64' });

export const resultChecks = [
  clientScenario({
    id: '8.4/client/utf8-chunks-assembled',
    statements: ["S8.4-06"],
    spec: '§8.4',
    level: 'MUST',
    feature: 'result_chunk',
    title: 'utf8 chunks (multi-byte text) are assembled into exactly the concatenated text',
    async run(ctx) {
      const pieces = [utf8('héllo, '), utf8('wörld ✓ '), utf8('— 終わり')];
      const { jobId, total } = await streamChunks(ctx, pieces, [0, 1, 2]);
      requireResult(await ctx.client.terminal(jobId), { text: total.toString('utf8') }, 'utf8 assembly');
    },
  }),

  clientScenario({
    id: '8.4/client/base64-chunks-assembled',
    statements: ["S8.4-06"],
    spec: '§8.4',
    level: 'MUST',
    feature: 'result_chunk',
    title: 'base64 chunks of binary data (and a mixed utf8/base64 stream) are assembled into exactly the concatenated bytes',
    async run(ctx) {
      const bin = Buffer.from([0, 255, 128, 10, 13, 0xc3, 0x28, 7]);
      const pieces = [b64(bin.subarray(0, 3)), b64(bin.subarray(3, 5)), b64(bin.subarray(5))];
      const a = await streamChunks(ctx, pieces, [0, 1, 2]);
      requireResult(await ctx.client.terminal(a.jobId), { base64: a.total.toString('base64') }, 'base64 assembly');
      const mixed = [utf8('text-'), b64(Buffer.from([1, 2, 3])), utf8('-tail')];
      const m = await streamChunks(ctx, mixed, [0, 1, 2]);
      requireResult(await ctx.client.terminal(m.jobId), { base64: m.total.toString('base64') }, 'mixed-encoding assembly (catalog §10 #25)');
    },
  }),

  clientScenario({
    id: '8.4/client/out-of-order-chunk-seq',
    statements: ["S8.4-06"],
    spec: '§8.4',
    level: 'MUST',
    feature: 'result_chunk',
    title: 'chunks arriving as chunk_seq 2, 0, 1 are assembled in chunk_seq order, not arrival order',
    async run(ctx) {
      const pieces = [utf8('first|'), utf8('second|'), utf8('third')];
      const { jobId, total } = await streamChunks(ctx, pieces, [2, 0, 1]);
      requireResult(await ctx.client.terminal(jobId), { text: total.toString('utf8') }, 'out-of-order chunks');
    },
  }),

  clientScenario({
    id: '8.4/client/missing-chunk-not-assembled',
    statements: ["S8.4-06"],
    spec: '§8.4',
    level: 'MUST',
    feature: 'result_chunk',
    title: 'when chunk_seq 1 of 0..2 never arrives, the application is not handed an assembled result (it gets an error)',
    async run(ctx) {
      const pieces = [utf8('aaa'), utf8('bbb'), utf8('ccc')];
      const { jobId } = await streamChunks(ctx, pieces, [0, 1, 2], { omit: 1 });
      const t = await ctx.client.waitFor((o) => (o.obs === 'result' || o.obs === 'job_error') && o.job_id === jobId, 'the outcome of the job', ctx.timeoutMs);
      if (t.obs === 'result') throw new Violation(`the application was handed a result (${JSON.stringify(t.result ?? t.result_base64)?.slice(0, 60)}) although chunk_seq 1 never arrived`);
    },
  }),

  clientProperty({
    id: '8.4/client/random-chunked-results',
    statements: ["S8.4-06"],
    spec: '§8.4',
    level: 'MUST',
    feature: 'result_chunk',
    title: 'random data split at random points, random encodings per chunk, random arrival order: the assembled result is byte-exact',
    async run(ctx) {
      const arb = fc
        .array(fc.record({ bytes: fc.uint8Array({ minLength: 0, maxLength: 24 }), base64: fc.boolean(), text: fc.string({ maxLength: 12, unit: 'grapheme' }) }), { minLength: 1, maxLength: 6 })
        .chain((parts) => fc.tuple(fc.constant(parts), fc.shuffledSubarray([...parts.keys()], { minLength: parts.length, maxLength: parts.length })));
      await runProperty(ctx, arb, async ([parts, order]) => {
        const pieces = parts.map((p) => (p.base64 ? b64(Buffer.from(p.bytes)) : utf8(p.text)));
        const { jobId, total } = await streamChunks(ctx, pieces, order);
        const allText = pieces.every((p) => p.encoding === 'utf8');
        const t = await ctx.client.terminal(jobId);
        requireResult(t, allText ? { text: total.toString('utf8') } : { base64: total.toString('base64') }, `chunks in arrival order ${order.join(',')}`);
      });
    },
  }),
];
