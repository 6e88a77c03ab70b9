// OpenTelemetry: the runtime records spans for sessions, jobs, tool calls and delegation. The
// client submits under its own trace (activeTraceId), the agent reads ctx.traceparent to forward
// the trace to the tools it calls (§11), and a delegated child job lands in the same trace.
// propagateTraceContext(transport) puts the caller's span in the submit (the W3C header in the
// envelope's `x-vendor.opentelemetry.tracecontext` extension), so the job span is its child.
// Here spans go to the SDK's in-memory exporter; in production plug in an OTLP exporter.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ARCPClient, ARCPRuntime, createMemoryTransportPair } from '../runtime-kit/index.js';
import { activeTraceId, openTelemetry, propagateTraceContext } from '../runtime-kit/telemetry/index.js';

export async function main(): Promise<{ spans: Array<{ name: string; parent?: string }>; sameTrace: boolean; forwarded: string }> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

  const runtime = new ARCPRuntime({ tokens: { 'secret-token': 'alice' }, instrumentation: openTelemetry({ tracer: provider.getTracer('example') }) });
  let forwarded = '';
  runtime.registerAgent('research', async (input, ctx) => {
    // What an HTTP call to a tool server would send as its `traceparent` header.
    const page = await ctx.toolCall('web.fetch', { url: 'https://example.invalid' }, () => {
      forwarded = ctx.traceparent;
      return 'page text';
    });
    const summary = await ctx.delegate({ agent: 'summarize', input: { page } });
    return summary.result;
  }, { version: '1.0.0', default: true });
  runtime.registerAgent('summarize', (input) => String((input as { page: string }).page).slice(0, 4), { version: '1.0.0', default: true });

  const [serverSide, clientSide] = createMemoryTransportPair();
  void runtime.accept(serverSide);
  const client = new ARCPClient({ client: { name: 'otel-example', version: '1.0.0' }, token: 'secret-token' });
  await client.connect(propagateTraceContext(clientSide));

  const caller = provider.getTracer('example').startSpan('checkout request');
  try {
    const handle = await context.with(trace.setSpan(context.active(), caller), () =>
      client.submit({
        agent: 'research',
        input: {},
        traceId: activeTraceId()!, // the job joins the caller's trace
        leaseRequest: { 'tool.call': ['web.*'], 'agent.delegate': ['summarize'] },
      }),
    );
    await handle.done;
  } finally {
    caller.end();
    await client.close();
    await runtime.close();
    context.disable();
  }
  const finished = exporter.getFinishedSpans();
  const nameOf = new Map(finished.map((s) => [s.spanContext().spanId, s.name]));
  const jobs = finished.filter((s) => s.name !== 'arcp.session');
  return {
    spans: jobs.map((s) => ({ name: s.name, ...(nameOf.has(s.parentSpanContext?.spanId ?? '') ? { parent: nameOf.get(s.parentSpanContext!.spanId)! } : {}) })),
    sameTrace: jobs.every((s) => s.spanContext().traceId === caller.spanContext().traceId),
    forwarded,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await main());
}
