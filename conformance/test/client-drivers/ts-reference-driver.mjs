// Client driver (docs/client-driver.md) for the public TS reference client
// (../shared/peers/ts-reference/client.mjs). Only translates instructions into its API and reports
// what it shows the application; never fixes or filters anything.
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

process.env.ARCP_LOG_LEVEL ??= 'silent'; // its logger writes to stdout
const here = dirname(fileURLToPath(import.meta.url));
const peer = process.env.TS_REFERENCE_CLIENT ?? resolve(here, '../../../../shared/peers/ts-reference/client.mjs');
const { ARCPClient, WebSocketTransport, StdioTransport } = await import(peer);
const { spawn } = await import('node:child_process');

/** The instruction's endpoint: a WebSocket URL, or (transport "stdio") a command spawned as the runtime. */
async function transportFor(ins) {
  if (ins.transport !== 'stdio') return WebSocketTransport.connect(ins.url);
  const child = spawn('sh', ['-c', ins.command], { stdio: ['pipe', 'pipe', 'ignore'] });
  return new StdioTransport(child.stdout, child.stdin);
}

const out = (m) => process.stdout.write(`${JSON.stringify(m)}\n`);
const report = (e) => ({ code: String(e?.code ?? 'DRIVER_ERROR'), ...(typeof e?.retryable === 'boolean' ? { retryable: e.retryable } : {}), message: String(e?.message ?? e) });
let client;
let opts;
/** Jobs with a live handle on the current instance (their outcome is reported from handle.done). */
const handles = new Set();

/** A library client with the observation handlers attached (a resume uses a fresh instance: the TS session machine cannot go accepted -> accepted). */
function makeClient() {
  const c = new ARCPClient(opts);
  c.on('job.event', (e) => out({ obs: 'event', job_id: e.job_id, seq: e.event_seq, kind: e.payload?.kind, body: e.payload?.body }));
  c.on('session.error', (e) => out({ obs: 'session_error', ...report(e.payload ?? e) }));
  // Terminals of jobs with no handle on this instance (submitted before a resume): what the
  // library's envelope handlers show the application.
  c.on('job.result', (e) => c === client && !handles.has(e.job_id) && out({ obs: 'result', job_id: e.job_id, result: e.payload?.result ?? e.payload?.output }));
  c.on('job.error', (e) => c === client && !handles.has(e.job_id) && out({ obs: 'job_error', job_id: e.job_id, ...report(e.payload) }));
  return c;
}

function watch(h) {
  h.done.then(
    async (r) => {
      const p = r?.payload ?? r ?? {};
      const o = { obs: 'result', job_id: h.jobId };
      if (p.result_id) {
        o.result_id = p.result_id;
        try {
          const v = await h.collectChunks();
          if (typeof v === 'string') o.result = v;
          else o.result_base64 = Buffer.from(v).toString('base64');
        } catch (e) {
          return out({ obs: 'job_error', job_id: h.jobId, ...report(e) });
        }
      } else o.result = p.result ?? p.output;
      out(o);
    },
    (e) => out({ obs: 'job_error', job_id: h.jobId, ...report(e) }),
  );
}

async function run(ins) {
  switch (ins.op) {
    case 'connect': {
      opts = { client: { name: 'ts-reference', version: '0bf5caf' }, authScheme: 'bearer', token: ins.token, ...(ins.features ? { features: ins.features } : {}), ...(ins.auto_ack ? { autoAck: true } : {}) };
      client = makeClient();
      await client.connect(await transportFor(ins));
      return { session_id: client.state.id, features: client.negotiatedFeatures, auto_resume: false };
    }
    case 'submit': {
      const h = await client.submit({ agent: ins.agent, input: ins.input, ...(ins.lease_request ? { leaseRequest: ins.lease_request } : {}), ...(ins.idempotency_key ? { idempotencyKey: ins.idempotency_key } : {}) });
      handles.add(h.jobId);
      watch(h);
      return { job_id: h.jobId };
    }
    case 'cancel':
      await client.cancelJob(ins.job_id, ins.reason ? { reason: ins.reason } : {});
      return {};
    case 'list': {
      const r = await client.listJobs(ins.filter, { limit: ins.limit, cursor: ins.cursor });
      return { jobs: r.jobs, next_cursor: r.nextCursor ?? null };
    }
    case 'subscribe': {
      const r = await client.subscribe(ins.job_id, { history: ins.history, fromEventSeq: ins.from_event_seq });
      return { job_id: r.jobId, subscribed_from: r.subscribedFrom, replayed: r.replayed };
    }
    case 'unsubscribe':
      await client.unsubscribe(ins.job_id, client.state.id);
      return {};
    case 'ack':
      await client.ack(ins.seq ?? client.lastEventSeqObserved);
      return {};
    case 'resume': {
      const prev = { session_id: client.state.id, resume_token: client.welcomePayload?.resume_token, last_event_seq: client.lastEventSeqObserved };
      handles.clear();
      client = makeClient();
      await client.resume(await transportFor(ins), prev);
      return { session_id: client.state.id };
    }
    case 'state':
      return { latest_event_seq: client.lastEventSeqObserved, session_id: client.state.id ?? null, resume_token: client.welcomePayload?.resume_token ?? null };
    case 'close':
      await client.close(ins.reason);
      return {};
    default:
      throw new Error(`unknown op ${ins.op}`);
  }
}

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const ins = JSON.parse(line);
  run(ins).then(
    (r) => out({ re: ins.id, ok: true, ...r }),
    (e) => out({ re: ins.id, ok: false, error: report(e) }),
  );
}
await client?.close().catch(() => undefined);
process.exit(0);
