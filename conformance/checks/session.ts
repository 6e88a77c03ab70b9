// §6.1 authentication and §6.2 hello/welcome and feature negotiation.
import { envelope, field } from '../driver/wire.js';
import { hello, helloEnvelope } from '../driver/session.js';
import { AGENTS, requireErrorCode, scenario } from './define.js';
import { require_, Skip, Violation } from './outcomes.js';
import type { CheckDef } from './types.js';

export const sessionChecks: CheckDef[] = [
  scenario({
    id: '6.1/auth/bad-token-unauthenticated',
    statements: ['S6.1-01'],
    spec: '§6.1, §12',
    level: 'MUST',
    title: 'a hello with an unknown bearer token gets session.error UNAUTHENTICATED and no welcome',
    async run(ctx) {
      const conn = await ctx.connect('A');
      const reply = await conn.request(helloEnvelope({ token: `not-a-valid-token-${Date.now()}` }));
      if (reply.type === 'session.welcome') throw new Violation('welcome issued for an unknown bearer token', { frame: reply });
      requireErrorCode(reply, ['UNAUTHENTICATED'], 'bad token');
    },
  }),
  scenario({
    id: '6.2/welcome/required-fields',
    statements: ['S6.2-02'],
    spec: '§6.2',
    level: 'MUST',
    title: 'session.welcome carries session_id, a resume_token, resume_window_sec, the negotiated capabilities and, with heartbeat negotiated, heartbeat_interval_sec',
    async run(ctx) {
      const s = await ctx.open('A');
      const p = s.welcome.payload;
      require_(typeof field(p, 'resume_window_sec') === 'number', 'welcome lacks resume_window_sec');
      require_(Array.isArray(field(p, 'capabilities', 'features')), 'welcome lacks capabilities.features');
      // without it the client cannot tell when to ping, nor when the peer may give up on it (§6.4)
      const hb = field(p, 'heartbeat_interval_sec');
      if (s.features.includes('heartbeat')) require_(Number.isInteger(hb) && Number(hb) > 0, `welcome negotiates heartbeat but heartbeat_interval_sec is ${String(hb)}`);
    },
  }),
  scenario({
    id: '6.2/negotiation/welcome-subset-of-hello',
    statements: ['S6.2-03'],
    spec: '§6.2',
    level: 'interop',
    gradeReason: 'the spec defines the effective set as the intersection; whether the welcome lists the intersection or the full set is a gap (catalog §10 #14: both yield the same effective set)',
    title: 'the welcome lists only features the hello offered (catalog §10 #14: the welcome lists the intersection)',
    async run(ctx) {
      const asked = ['heartbeat', 'ack'];
      const conn = await ctx.connect('A');
      const s = await hello(conn, { token: ctx.token('A'), features: asked });
      const listed = field(s.welcome.payload, 'capabilities', 'features') as string[];
      const extra = listed.filter((f) => !asked.includes(f));
      require_(extra.length === 0, `welcome lists features the client never offered: ${extra.join(', ')}`);
    },
  }),
  scenario({
    id: '6.2/negotiation/progress-only-if-negotiated',
    statements: ['S6.2-01'],
    spec: '§6.2, §8.2.1',
    level: 'MUST',
    title: 'without `progress` in the intersection, the peer never emits progress events',
    agents: [AGENTS.slow],
    async run(ctx) {
      const features = ['heartbeat', 'ack', 'list_jobs', 'subscribe'];
      const s = await ctx.open('A', features);
      const jobId = await ctx.submit(s, AGENTS.slow, { steps: 3, interval_ms: 10 });
      await ctx.terminal(s, jobId);
      const bad = s.conn.messages().filter((m) => m.type === 'job.event' && field(m, 'payload', 'kind') === 'progress');
      require_(bad.length === 0, `${bad.length} progress events sent although progress was not negotiated`);
    },
  }),
  scenario({
    id: '6.2/negotiation/result-chunk-only-if-negotiated',
    statements: ['S6.2-01'],
    spec: '§6.2, §8.4',
    level: 'MUST',
    title: 'without `result_chunk` in the intersection, the peer never emits result_chunk events',
    agents: [AGENTS.streamer],
    async run(ctx) {
      const s = await ctx.open('A', ['heartbeat', 'progress']);
      const reply = await ctx.submitRaw(s, AGENTS.streamer, { chunks: 2, chunk_size: 4, encoding: 'utf8' });
      if (reply.type === 'job.accepted') await ctx.terminal(s, String(reply.job_id));
      const bad = s.conn.messages().filter((m) => m.type === 'job.event' && field(m, 'payload', 'kind') === 'result_chunk');
      require_(bad.length === 0, `${bad.length} result_chunk events sent although result_chunk was not negotiated`);
    },
  }),
  scenario({
    id: '6.2/negotiation/unnegotiated-message-rejected',
    statements: [],
    spec: '§6.2',
    level: 'interop',
    title: 'a message of a feature outside the intersection (list_jobs) gets INVALID_REQUEST (catalog §10 #14)',
    async run(ctx) {
      const s = await ctx.open('A', ['heartbeat']);
      const reply = await s.conn.request(envelope('session.list_jobs', {}, { session_id: s.sessionId }));
      requireErrorCode(reply, ['INVALID_REQUEST'], 'list_jobs without the list_jobs feature');
    },
  }),
  scenario({
    id: '6.2/hello/second-hello-rejected',
    statements: [],
    spec: '§6.2',
    level: 'interop',
    title: 'a second session.hello on an open session gets session.error INVALID_REQUEST (catalog §4.4)',
    async run(ctx) {
      const s = await ctx.open('A');
      const reply = await s.conn.request(helloEnvelope({ token: ctx.token('A') }));
      requireErrorCode(reply, ['INVALID_REQUEST'], 'second hello');
    },
  }),
  scenario({
    id: '6.2/welcome/agent-inventory',
    statements: ['S6.2-02'],
    spec: '§6.2, §7.5',
    level: 'MUST',
    title: 'with agent_versions negotiated, the welcome lists agents with versions and a default',
    feature: 'agent_versions',
    async run(ctx) {
      const s = await ctx.open('A');
      const agents = field(s.welcome.payload, 'capabilities', 'agents');
      require_(Array.isArray(agents), 'welcome carries no capabilities.agents inventory');
      const v = (agents as unknown[]).find((a) => field(a, 'name') === AGENTS.versioned);
      // the versioned agent is the harness's contract, not the spec's: without it nothing was tested
      if (v === undefined) throw new Skip(`peer does not host ${AGENTS.versioned} (docs/conformance-agents.md)`);
      require_(Array.isArray(field(v, 'versions')), `${AGENTS.versioned} entry has no versions list`);
    },
  }),
];
