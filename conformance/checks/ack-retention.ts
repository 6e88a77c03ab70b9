// §6.5 acknowledgement frees exactly what was acknowledged: found by attacking the harness with a
// runtime whose ack freed one event too many (off by one in the freed range). Every other check
// either resumes without having acked or acks everything, so that bug went unseen.
import { envelope, field, isoNow, type Envelope } from '../driver/wire.js';
import { resume } from '../driver/session.js';
import { sameEvent } from '../model/seq-oracle.js';
import { AGENTS, scenario } from './define.js';
import { require_, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

function seqOf(m: Envelope): number | undefined {
  return typeof m.event_seq === 'number' ? m.event_seq : undefined;
}

export const ackRetentionChecks: CheckDef[] = [
  scenario({
    id: '6.5/ack/frees-only-acknowledged',
    statements: ['S6.5-02'],
    spec: '§6.5, §6.3',
    level: 'MUST',
    title: 'after session.ack of last_processed_seq N, a resume from N still replays every event after N (the ack freed nothing beyond N)',
    feature: 'ack',
    agents: [AGENTS.chatty],
    needs: ['reconnect'],
    async run(ctx) {
      const first = await ctx.open('A');
      const jobId = await ctx.submit(first, AGENTS.chatty, { n: 3 });
      await ctx.terminal(first, jobId);
      const seen = first.conn.messages().filter((m) => seqOf(m) !== undefined);
      const last = Math.max(...seen.map((m) => seqOf(m)!));
      require_(last >= 2, `the job produced ${last} sequenced envelope(s); the check needs at least 2`);
      const acked = last - 1;
      first.conn.send(envelope('session.ack', { last_processed_seq: acked }, { session_id: first.sessionId }));
      // the pong comes after the ack was handled (one connection, in order)
      const nonce = `p_conf_ack_${Date.now()}`;
      first.conn.send(envelope('session.ping', { nonce, sent_at: isoNow() }, { session_id: first.sessionId }));
      await first.conn.expect((m) => m.type === 'session.pong' && field(m, 'payload', 'ping_nonce') === nonce, 'session.pong after the ack');
      await first.conn.close('transport drop (harness)');
      ctx.note(`acked through seq ${acked} of ${last}; resuming from ${acked}`);
      const conn = await ctx.connect('A');
      const second = await resume(conn, ctx.profile, { token: ctx.token('A'), sessionId: first.sessionId, resumeToken: first.resumeToken, lastEventSeq: acked });
      const again = await second.conn.expect((m) => seqOf(m) === last, `replay of seq ${last}`);
      const orig = seen.find((m) => seqOf(m) === last)!;
      const diff = sameEvent(orig, again);
      if (diff) throw new Violation(`replayed seq ${last} differs from the original: ${diff}`);
    },
  }),
];
