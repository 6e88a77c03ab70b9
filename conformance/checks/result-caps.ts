// §14 result caps: a streamed result over the runtime's chunk or total cap ends the job with
// INTERNAL_ERROR (MUST), never another code, a crash or a silently truncated success. The cap
// is not on the wire, so a runtime without one must deliver the whole result instead; the
// in-process target runs with a 64 KiB chunk cap so the failing side is exercised.
import { field } from '../driver/wire.js';
import { AGENTS, scenario } from './define.js';
import { checkChunks, streamerBytes } from './events.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';

const CHUNK = 256 * 1024;
const CHUNKS = 2;

export const resultCapChecks: CheckDef[] = [
  scenario({
    id: '14/results/over-cap-internal-error',
    statements: ['S14-11'],
    spec: '§8.4, §14',
    level: 'MUST',
    title: 'streaming 2 chunks of 256 KiB either delivers every byte (no cap that low) or ends in job.error INTERNAL_ERROR, final_status "error" (over the cap)',
    feature: 'result_chunk',
    agents: [AGENTS.streamer],
    async run(ctx) {
      const s = await ctx.open('A');
      const jobId = await ctx.submit(s, AGENTS.streamer, { chunks: CHUNKS, chunk_size: CHUNK, encoding: 'utf8' });
      const term = await ctx.terminal(s, jobId, Math.max(ctx.timeoutMs, 10_000));
      if (term.type === 'job.result') {
        ctx.note('the peer has no chunk cap at or below 256 KiB: the success side was tested');
        const bytes = checkChunks(s.conn.messages(), jobId);
        require_(bytes.equals(streamerBytes(CHUNKS * CHUNK, 'utf8')), `the assembled result has ${bytes.length} bytes or wrong content (expected ${CHUNKS * CHUNK})`);
        return;
      }
      require_(field(term, 'payload', 'code') === 'INTERNAL_ERROR', `an over-cap result ended with ${String(field(term, 'payload', 'code'))} ${String(term.id)}, expected INTERNAL_ERROR (§14)`, term);
      require_(field(term, 'payload', 'final_status') === 'error', `final_status ${String(field(term, 'payload', 'final_status'))}`, term);
    },
  }),
];
