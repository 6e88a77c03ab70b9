// OpenTelemetry spans from a real runtime, recorded by the SDK's InMemorySpanExporter: session,
// job (submit to terminal, status and error code), tool calls and delegation, their parent/child
// relations, the W3C traceparent the agent sees (ctx.traceparent) and the one a child job starts
// under, the caller's trace joined through trace_id or the tracecontext extension, and the active
// context inside the agent and its tool calls (AsyncLocalStorage context manager).
import { context, trace, type Span as ApiSpan } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARCPClient } from '../../client/index.js';
import { arcpError } from '../../errors/index.js';
import { ARCPRuntime, type JobContext } from '../../runtime/index.js';
import { TestPeer } from '../../runtime/test/support/test-peer.js';
import { createMemoryTransportPair, type Transport } from '../../transport/index.js';
import { activeTraceId, openTelemetry, propagateTraceContext, TRACECONTEXT_EXTENSION } from '../index.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(async () => {
  context.disable();
  await provider.shutdown();
});

interface Seen {
  parentTraceparent?: string;
  childTraceparent?: string;
  activeInAgent?: string;
  activeInTool?: string;
}

let seen: Seen;
let runtime: ARCPRuntime;
let client: ARCPClient;
let clientTransport: Transport;

function newRuntime(): ARCPRuntime {
  return new ARCPRuntime({ tokens: { t: 'alice' }, instrumentation: openTelemetry({ tracer: provider.getTracer('test') }) })
    .registerAgent(
      'parent',
      async (_input, ctx: JobContext) => {
        seen.parentTraceparent = ctx.traceparent;
        seen.activeInAgent = trace.getActiveSpan()?.spanContext().spanId;
        const found = await ctx.toolCall('search', { q: 'x' }, async () => {
          await new Promise((r) => setTimeout(r, 1)); // the context must survive an await
          seen.activeInTool = trace.getActiveSpan()?.spanContext().spanId;
          return 'found';
        });
        const child = await ctx.delegate({ agent: 'child', input: { from: 'parent' } });
        return { found, child: child.result };
      },
      { version: '1.0.0' },
    )
    .registerAgent(
      'child',
      (_input, ctx: JobContext) => {
        seen.childTraceparent = ctx.traceparent;
        return 'child-done';
      },
      { version: '1.0.0' },
    )
    .registerAgent('waits', (_input, ctx: JobContext) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))), {
      version: '1.0.0',
    })
    .registerAgent('denied-tool', (_input, ctx: JobContext) => ctx.toolCall('forbidden', {}, () => 'never'), { version: '1.0.0' })
    .registerAgent(
      'failing',
      () => {
        throw arcpError('INVALID_REQUEST', 'the agent refuses this input');
      },
      { version: '1.0.0' },
    );
}

async function connect(): Promise<ARCPClient> {
  const [server, clientSide] = createMemoryTransportPair();
  clientTransport = clientSide;
  void runtime.accept(server);
  const c = new ARCPClient({ client: { name: 'otel-test', version: '1.0.0' }, token: 't' });
  await c.connect(clientSide);
  return c;
}

const spansNamed = (name: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.name === name);
const parentIdOf = (s: ReadableSpan): string | undefined => s.parentSpanContext?.spanId;

beforeEach(async () => {
  exporter.reset();
  seen = {};
  runtime = newRuntime();
  client = await connect();
});
afterEach(async () => {
  await client.close().catch(() => {});
  await runtime.close();
});

describe('openTelemetry() spans', () => {
  it('job -> tool call and job -> delegate -> child job, in the caller trace, with traceparent out to the agent', async () => {
    const callerSpan: ApiSpan = provider.getTracer('caller').startSpan('caller');
    const traceId = context.with(trace.setSpan(context.active(), callerSpan), () => activeTraceId());
    expect(traceId).toBe(callerSpan.spanContext().traceId);
    const handle = await client.submit({
      agent: 'parent',
      input: {},
      traceId: traceId!,
      leaseRequest: { 'tool.call': ['search'], 'agent.delegate': ['child'] },
    });
    const done = await handle.done;
    expect(done.result).toEqual({ found: 'found', child: 'child-done' });
    callerSpan.end();

    const jobs = spansNamed('arcp.job');
    expect(jobs).toHaveLength(2);
    const parentJob = jobs.find((s) => s.attributes['arcp.agent'] === 'parent@1.0.0')!;
    const childJob = jobs.find((s) => s.attributes['arcp.agent'] === 'child@1.0.0')!;
    const [tool] = spansNamed('arcp.tool_call');
    const [delegate] = spansNamed('arcp.delegate');

    // One trace, the one ARCP's trace_id names (the caller's).
    for (const s of [parentJob, childJob, tool!, delegate!]) expect(s.spanContext().traceId).toBe(traceId);
    expect(parentJob.attributes).toMatchObject({ 'arcp.job_id': handle.jobId, 'arcp.trace_id': traceId, 'arcp.principal': 'alice', 'arcp.job.final_status': 'success' });
    expect(parentJob.status.code).toBe(1); // OK

    // Parent/child relations.
    expect(parentIdOf(tool!)).toBe(parentJob.spanContext().spanId);
    expect(tool!.attributes).toMatchObject({ 'arcp.tool.name': 'search', 'arcp.capability': 'tool.call' });
    expect(parentIdOf(delegate!)).toBe(parentJob.spanContext().spanId);
    expect(parentIdOf(childJob)).toBe(delegate!.spanContext().spanId);
    expect(childJob.attributes['arcp.parent_job_id']).toBe(handle.jobId);
    expect(delegate!.attributes['arcp.delegate.child_job_id']).toBe(childJob.attributes['arcp.job_id']);

    // W3C traceparent handed to the agents, and the active context inside agent and tool.
    expect(seen.parentTraceparent).toBe(`00-${traceId}-${parentJob.spanContext().spanId}-01`);
    expect(seen.childTraceparent).toBe(`00-${traceId}-${childJob.spanContext().spanId}-01`);
    expect(seen.activeInAgent).toBe(parentJob.spanContext().spanId);
    expect(seen.activeInTool).toBe(tool!.spanContext().spanId);

    // The job links to the session attachment it was submitted over.
    await client.close();
    const [session] = spansNamed('arcp.session');
    expect(session!.attributes).toMatchObject({ 'arcp.principal': 'alice', 'arcp.session.resumed': false, 'arcp.session.end_reason': 'closed' });
    expect(parentJob.links.map((l) => l.context.spanId)).toEqual([session!.spanContext().spanId]);
  });

  it('a failed job carries ERROR status and the ARCP error code; a denied tool call too', async () => {
    const failing = await client.submit({ agent: 'failing', input: {} });
    await expect(failing.done).rejects.toThrow(/refuses/);
    const denied = await client.submit({ agent: 'denied-tool', input: {} });
    await expect(denied.done).rejects.toThrow();

    const byJob = (id: string) => spansNamed('arcp.job').find((s) => s.attributes['arcp.job_id'] === id)!;
    const f = byJob(failing.jobId);
    expect(f.status.code).toBe(2); // ERROR
    expect(f.attributes).toMatchObject({ 'arcp.job.final_status': 'error', 'arcp.error.code': 'INVALID_REQUEST', 'arcp.error.retryable': false });
    expect(f.events.map((e) => e.name)).toContain('exception');
    const [tool] = spansNamed('arcp.tool_call');
    expect(tool!.status.code).toBe(2);
    expect(tool!.attributes['arcp.error.code']).toBe('PERMISSION_DENIED');
    expect(parentIdOf(tool!)).toBe(byJob(denied.jobId).spanContext().spanId);
  });

  it('a refused submit is a job span too: ERROR with the code, in the submit trace', async () => {
    await expect(client.submit({ agent: 'no.such.agent', input: {}, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' })).rejects.toThrow();
    const [job] = spansNamed('arcp.job');
    expect(job!.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(job!.status.code).toBe(2);
    expect(job!.attributes).toMatchObject({ 'arcp.agent': 'no.such.agent', 'arcp.error.code': 'AGENT_NOT_AVAILABLE', 'arcp.job.final_status': 'error' });
  });

  it('a cancelled job ends UNSET with its code; a resume opens a second session span (resumed)', async () => {
    const handle = await client.submit({ agent: 'waits', input: {} });
    const { sessionId, resumeToken } = client;
    const lastEventSeq = client.latestEventSeq;
    await handle.cancel();
    await expect(handle.done).rejects.toThrow();
    const job = spansNamed('arcp.job').find((s) => s.attributes['arcp.job_id'] === handle.jobId)!;
    expect(job.status.code).toBe(0); // UNSET: the client asked for it
    expect(job.attributes).toMatchObject({ 'arcp.job.final_status': 'cancelled', 'arcp.error.code': 'CANCELLED' });

    // Drop the transport without session.close, then resume on a new one.
    const [server, side] = createMemoryTransportPair();
    await clientTransport.close();
    await expect.poll(() => spansNamed('arcp.session').length, { timeout: 30_000 }).toBe(1); // the detach reaches the runtime
    void runtime.accept(server);
    const second = new ARCPClient({ client: { name: 'otel-test', version: '1.0.0' }, token: 't' });
    await second.resume(side, { sessionId: sessionId!, resumeToken: resumeToken!, lastEventSeq });
    await second.close();
    const sessions = spansNamed('arcp.session');
    expect(sessions.map((s) => [s.attributes['arcp.session.resumed'], s.attributes['arcp.session.end_reason']])).toEqual([
      [false, 'transport_closed'],
      [true, 'closed'],
    ]);
    expect(new Set(sessions.map((s) => s.attributes['arcp.session_id']))).toEqual(new Set([sessionId]));
  });

  it("parents the job span to the submit's traceparent extension (x-vendor.opentelemetry.tracecontext)", async () => {
    const [server, side] = createMemoryTransportPair();
    void runtime.accept(server);
    const peer = new TestPeer(side);
    await peer.hello();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const id = peer.submit('child', {}, {}, { trace_id: traceId, extensions: { [TRACECONTEXT_EXTENSION]: { traceparent: `00-${traceId}-${callerSpanId}-01` } } });
    const accepted = await peer.accepted(id);
    await peer.terminal(accepted.payload.job_id);
    const job = spansNamed('arcp.job').find((s) => s.attributes['arcp.job_id'] === accepted.payload.job_id)!;
    expect(job.spanContext().traceId).toBe(traceId);
    expect(parentIdOf(job)).toBe(callerSpanId);
    expect(seen.childTraceparent).toBe(`00-${traceId}-${job.spanContext().spanId}-01`);
    await peer.transport.close();
  });

  it("propagateTraceContext: the client's submit carries the caller span, which becomes the job's parent", async () => {
    const [server, side] = createMemoryTransportPair();
    void runtime.accept(server);
    const traced = new ARCPClient({ client: { name: 'otel-test', version: '1.0.0' }, token: 't' });
    await traced.connect(propagateTraceContext(side));
    const caller = provider.getTracer('caller').startSpan('caller');
    const handle = await context.with(trace.setSpan(context.active(), caller), () => traced.submit({ agent: 'child', input: {}, traceId: activeTraceId()! }));
    await handle.done;
    // Outside any span, and under another trace id, nothing is added.
    const plain = await traced.submit({ agent: 'child', input: {} });
    await plain.done;
    caller.end();
    await traced.close();
    const byJob = (id: string) => spansNamed('arcp.job').find((s) => s.attributes['arcp.job_id'] === id)!;
    expect(byJob(handle.jobId).spanContext().traceId).toBe(caller.spanContext().traceId);
    expect(parentIdOf(byJob(handle.jobId))).toBe(caller.spanContext().spanId);
    expect(byJob(plain.jobId).spanContext().traceId).not.toBe(caller.spanContext().traceId);
    expect(parentIdOf(byJob(plain.jobId))).not.toBe(caller.spanContext().spanId);
  });

  it('a traceparent of another trace than trace_id is ignored: the job stays in trace_id', async () => {
    const [server, side] = createMemoryTransportPair();
    void runtime.accept(server);
    const peer = new TestPeer(side);
    await peer.hello();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const other = `00-${'a'.repeat(32)}-00f067aa0ba902b7-01`;
    const id = peer.submit('child', {}, {}, { trace_id: traceId, extensions: { [TRACECONTEXT_EXTENSION]: { traceparent: other } } });
    const accepted = await peer.accepted(id);
    await peer.terminal(accepted.payload.job_id);
    const job = spansNamed('arcp.job').find((s) => s.attributes['arcp.job_id'] === accepted.payload.job_id)!;
    expect(job.spanContext().traceId).toBe(traceId);
    expect(parentIdOf(job)).not.toBe('00f067aa0ba902b7');
    await peer.transport.close();
  });
});

describe('without telemetry', () => {
  it('ctx.traceparent is still a valid W3C header in the job trace', async () => {
    const plain = new ARCPRuntime({ tokens: { t: 'alice' } }).registerAgent('tp', (_i, ctx: JobContext) => ctx.traceparent, { version: '1.0.0' });
    const [server, side] = createMemoryTransportPair();
    void plain.accept(server);
    const c = new ARCPClient({ client: { name: 'otel-test', version: '1.0.0' }, token: 't' });
    await c.connect(side);
    const handle = await c.submit({ agent: 'tp', input: {}, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    expect((await handle.done).result).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-(?!0{16})[0-9a-f]{16}-01$/);
    await c.close();
    await plain.close();
  });
});
