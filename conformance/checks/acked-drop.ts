// The set-up both ack-edge checks share: run a chatty job to its end, acknowledge all but its
// last sequenced envelope, make sure the ack was handled (a ping round trip on the same
// connection), then drop the transport, leaving a session to resume at a chosen position.
import { envelope, seqOf, type Envelope } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import type { CheckContext } from '../runner/context.js';
import { AGENTS } from './define.js';
import { require_ } from './outcomes.js';
import { barrier } from './wire-probes.js';

export interface AckedDrop {
  readonly first: Session;
  /** Every sequenced frame the first connection saw. */
  readonly seen: readonly Envelope[];
  readonly last: number;
  /** last - 1: what the ack freed through. */
  readonly acked: number;
}

export async function ackAllButLastThenDrop(ctx: CheckContext, n: number, minSeqs: number): Promise<AckedDrop> {
  const first = await ctx.open('A');
  const jobId = await ctx.submit(first, AGENTS.chatty, { n });
  await ctx.terminal(first, jobId);
  const seen = first.conn.messages().filter((m) => seqOf(m) !== undefined);
  const last = Math.max(...seen.map((m) => seqOf(m)!));
  require_(last >= minSeqs, `the job produced ${last} sequenced envelope(s); the check needs at least ${minSeqs}`);
  const acked = last - 1;
  first.conn.send(envelope('session.ack', { last_processed_seq: acked }, { session_id: first.sessionId }));
  await barrier(first);
  await first.conn.close('transport drop (harness)');
  return { first, seen, last, acked };
}
