// Model-based test of one session (fast-check commands + asyncModelRun): random interleavings of
// submits over echo/chatty/slow, cancels, pings, acks and transport drops followed by resumes
// from random earlier positions. The oracle stitches every connection's frames into one logical
// seq-ordered stream: each seq is delivered identically every time it is (re)played, the stream is
// gap-free from 1, each job has exactly one terminal and nothing after it, cancelled running jobs
// end CANCELLED, and every resume keeps cancel authority.
import fc from 'fast-check';
import { AGENTS, property } from '../checks/define.js';
import { require_, Violation } from '../checks/outcomes.js';
import type { CheckDef } from '../checks/types.js';
import { resume, type Session } from '../driver/session.js';
import { envelope, field, isoNow, type Envelope } from '../driver/wire.js';
import { sameEvent, SeqOracle } from '../model/seq-oracle.js';
import type { CheckContext } from '../runner/context.js';
import { runProperty } from './run-property.js';

/** What the harness knows about the peer's session (the model side of the commands). */
interface Model {
  jobs: number;
  drops: number;
}

/** The real side: the live session and every sequenced frame seen so far, by seq. */
interface Real {
  readonly ctx: CheckContext;
  session: Session;
  readonly bySeq: Map<number, Envelope>;
  readonly jobs: string[];
  readonly cancelled: Set<string>;
  /** Jobs the peer acknowledged a cancel for (job.cancelled): their terminal MUST be CANCELLED. */
  readonly cancelAcked: Set<string>;
  /** Frames already folded into bySeq, per connection. */
  folded: number;
  /** Highest seq acknowledged: the peer MAY free events up to it (§6.5), so resumes start there or later. */
  acked: number;
}

/** Folds new frames of the current connection into the logical stream, checking replays. */
function fold(r: Real): void {
  const msgs = r.session.conn.messages();
  for (const m of msgs.slice(r.folded)) {
    if (m.type === 'job.cancelled' && typeof m.job_id === 'string') r.cancelAcked.add(m.job_id);
    if (typeof m.event_seq !== 'number' || m.type.startsWith('session.')) continue;
    const known = r.bySeq.get(m.event_seq);
    if (known) {
      const diff = sameEvent(known, m);
      if (diff) throw new Violation(`seq ${m.event_seq} replayed differently: ${diff}`);
    } else r.bySeq.set(m.event_seq, m);
  }
  r.folded = msgs.length;
}

function lastSeq(r: Real): number {
  fold(r);
  return r.bySeq.size === 0 ? 0 : Math.max(...r.bySeq.keys());
}

class SubmitCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly agent: string, readonly input: unknown) {}
  check(): boolean {
    return true;
  }
  async run(m: Model, r: Real): Promise<void> {
    r.jobs.push(await r.ctx.submit(r.session, this.agent, this.input));
    m.jobs += 1;
  }
  toString(): string {
    return `submit(${this.agent.replace('conformance.', '')} ${JSON.stringify(this.input)})`;
  }
}

class CancelCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly which: number) {}
  check(m: Readonly<Model>): boolean {
    return m.jobs > 0;
  }
  async run(_m: Model, r: Real): Promise<void> {
    const jobId = r.jobs[this.which % r.jobs.length];
    fold(r);
    const ended = [...r.bySeq.values()].some((x) => x.job_id === jobId && (x.type === 'job.result' || x.type === 'job.error'));
    if (!ended) r.cancelled.add(jobId);
    r.session.conn.send(envelope('job.cancel', { reason: 'model' }, { session_id: r.session.sessionId, job_id: jobId }));
  }
  toString(): string {
    return `cancel(#${this.which})`;
  }
}

class PingCmd implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(_m: Model, r: Real): Promise<void> {
    const nonce = `p_model_${Date.now()}`;
    r.session.conn.send(envelope('session.ping', { nonce, sent_at: isoNow() }, { session_id: r.session.sessionId }));
    await r.session.conn.expect((x) => x.type === 'session.pong' && field(x, 'payload', 'ping_nonce') === nonce, 'session.pong');
  }
  toString(): string {
    return 'ping';
  }
}

class AckCmd implements fc.AsyncCommand<Model, Real> {
  check(): boolean {
    return true;
  }
  async run(_m: Model, r: Real): Promise<void> {
    if (!r.session.features.includes('ack')) return;
    r.acked = lastSeq(r);
    r.session.conn.send(envelope('session.ack', { last_processed_seq: r.acked }, { session_id: r.session.sessionId }));
  }
  toString(): string {
    return 'ack';
  }
}

class DropResumeCmd implements fc.AsyncCommand<Model, Real> {
  constructor(readonly back: number, readonly awayMs: number) {}
  check(m: Readonly<Model>): boolean {
    return m.drops < 3;
  }
  async run(m: Model, r: Real): Promise<void> {
    const last = lastSeq(r);
    // §6.5: acknowledged events MAY be freed, so never resume from before the ack
    const from = Math.max(r.acked, last - this.back);
    await r.session.conn.close('transport drop (model)');
    r.ctx.note(`drop after seq ${last}; away ${this.awayMs} ms; resume from ${from}`);
    await r.ctx.sleep(this.awayMs);
    const conn = await r.ctx.connect('A');
    const prev = r.session;
    r.session = await resume(conn, r.ctx.profile, { token: r.ctx.token('A'), sessionId: prev.sessionId, resumeToken: prev.resumeToken, lastEventSeq: from });
    require_(r.session.resumeToken !== prev.resumeToken, 'resume re-issued the old resume_token');
    r.folded = 0;
    // the first replayed frame must be exactly from + 1 (when anything is replayed at all)
    const first = await r.session.conn.arrives((x) => typeof x.event_seq === 'number' && !x.type.startsWith('session.'), 50);
    if (first) {
      const seqs = r.session.conn.messages().filter((x) => typeof x.event_seq === 'number' && !x.type.startsWith('session.'));
      require_(seqs[0].event_seq === from + 1, `replay after resume from ${from} starts at seq ${String(seqs[0].event_seq)}`);
    }
    fold(r);
    m.drops += 1;
  }
  toString(): string {
    return `drop+resume(back ${this.back}, away ${this.awayMs} ms)`;
  }
}

function commandsArb(ctx: CheckContext): fc.Arbitrary<Iterable<fc.AsyncCommand<Model, Real>>> {
  const canResume = ctx.config.target.multiConnection;
  // fast-check replays a command sequence only with its own replayPath (printed after `|`)
  const replayPath = ctx.config.replayPath?.split('|')[1];
  return fc.commands(
    [
      fc.integer({ min: 0, max: 99 }).map((v) => new SubmitCmd(AGENTS.echo, { v })),
      fc.integer({ min: 0, max: 6 }).map((n) => new SubmitCmd(AGENTS.chatty, { n })),
      fc.record({ steps: fc.integer({ min: 1, max: 4 }), interval_ms: fc.integer({ min: 5, max: 30 }) }).map((i) => new SubmitCmd(AGENTS.slow, i)),
      fc.nat({ max: 5 }).map((w) => new CancelCmd(w)),
      fc.constant(new PingCmd()),
      fc.constant(new AckCmd()),
      ...(canResume ? [fc.record({ back: fc.integer({ min: 0, max: 3 }), away: fc.integer({ min: 0, max: 60 }) }).map((d) => new DropResumeCmd(d.back, d.away))] : []),
    ],
    { maxCommands: 10, ...(replayPath ? { replayPath } : {}) },
  );
}

export const sessionModelProperties: CheckDef[] = [
  property({
    id: '8.3/session/model-based',
    statements: ['S8.3-01'],
    spec: '§8.3, §6.3, §7.3, §7.4, §7.7',
    level: 'MUST',
    title: 'model-based: random submits, cancels, pings, acks and drop+resume: one gap-free stream, identical replays, one terminal per job, cancelled jobs end CANCELLED',
    agents: [AGENTS.echo, AGENTS.chatty, AGENTS.slow],
    async run(ctx) {
      await runProperty(ctx, commandsArb(ctx), async (cmds) => {
        const session = await ctx.open('A');
        const real: Real = { ctx, session, bySeq: new Map(), jobs: [], cancelled: new Set(), cancelAcked: new Set(), folded: 0, acked: 0 };
        try {
          await fc.asyncModelRun(() => ({ model: { jobs: 0, drops: 0 }, real }), cmds);
          fold(real);
          const ended = (j: string) => [...real.bySeq.values()].some((x) => x.job_id === j && (x.type === 'job.result' || x.type === 'job.error'));
          for (const j of real.jobs) if (!ended(j)) await ctx.terminal(real.session, j);
          await ctx.sleep(20);
          fold(real);
          const max = real.bySeq.size === 0 ? 0 : Math.max(...real.bySeq.keys());
          const missing = [];
          for (let s = 1; s <= max; s++) if (!real.bySeq.has(s)) missing.push(s);
          require_(missing.length === 0, `seqs never delivered on any connection: ${missing.slice(0, 8).join(', ')}`);
          const oracle = new SeqOracle().observeAll([...real.bySeq.keys()].sort((a, b) => a - b).map((s) => real.bySeq.get(s)!));
          oracle.requireTerminals(real.jobs);
          require_(oracle.violations.length === 0, oracle.violations.join('; '), oracle.firstOffender);
          // §7.4: once the peer acknowledged a cancel, the job's terminal is job.error CANCELLED
          // (a job that finished before the cancel reached the peer is not acknowledged).
          for (const j of real.cancelAcked) {
            const term = [...real.bySeq.values()].find((x) => x.job_id === j && (x.type === 'job.result' || x.type === 'job.error'));
            require_(term?.type === 'job.error' && field(term, 'payload', 'code') === 'CANCELLED', `job ${j} was acknowledged as cancelled but ended with ${String(term?.type)} ${String(field(term, 'payload', 'code') ?? '')}`, term);
          }
        } finally {
          await real.session.conn.close('case done');
        }
      });
    },
  }),
];
