// Interop suite against the public TS reference SDK (../shared/peers/ts-reference, commit
// 0bf5caf5), both directions, ws and stdio: our ARCPClient -> its runtime, its client -> our
// runtime, through every feature both sides support (support/scenarios.ts). A cell failing for
// a known peer defect is recorded in baseline.json with its frame and does not fail; any other
// failure fails, and a baselined cell that passes fails too (stale). docs/interop.md is
// generated from these results and checked here. Skips with a message when the peer is absent.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../runtime-kit/agents/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/index.js';
import { connectWebSocket } from '../../runtime-kit/transport/websocket-client.js';
import { spawnStdioTransport } from '../../runtime-kit/transport/stdio.js';
import { renderMatrix, DIRECTIONS, TRANSPORTS, type BaselineEntry, type Cell } from './support/matrix.js';
import { PEER_COMMIT, PEER_DIR, loadTsClient, peerPresent, startTsRuntimeWs, stopChildren, track } from './support/peer.js';
import { FEATURES, Failure, NotApplicable } from './support/scenarios.js';
import { ourClientEndpoint, tsClientEndpoint, tsStdioTo, type Endpoint } from './support/sides.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const DOC = `${ROOT}docs/interop.md`;
const BASELINE: BaselineEntry[] = JSON.parse(readFileSync(new URL('./baseline.json', import.meta.url), 'utf8'));
/** Ports of this suite (7880-7889). */
const OUR_PORT = 7880;
const TS_PORT = 7881;

if (!peerPresent) console.log(`SKIP interop suite: the TS reference peer is absent (${PEER_DIR}); it runs when ../shared/peers/ts-reference exists`);

describe.skipIf(!peerPresent)('interop with the TS reference SDK', () => {
  const runtime = registerConformanceAgents(new ARCPRuntime({ tokens: { demo: 'alice', other: 'bob' } }));
  const endpoints = new Map<string, Endpoint>();
  const cells: Cell[] = [];

  beforeAll(async () => {
    const ours = await runtime.listen({ host: '127.0.0.1', port: OUR_PORT });
    const ts = await startTsRuntimeWs(TS_PORT);
    await loadTsClient();
    const tsStdioEnv = { ...process.env, STDIO: '1', ARCP_LOG_LEVEL: 'silent' };
    endpoints.set('ours-to-ts|ws', ourClientEndpoint(() => connectWebSocket(ts.url), true));
    endpoints.set('ours-to-ts|stdio', ourClientEndpoint(async () => {
      const t = spawnStdioTransport(process.execPath, [`${PEER_DIR}runtime.mjs`], { cwd: PEER_DIR, env: tsStdioEnv });
      track(t.child);
      return t;
    }, false));
    endpoints.set('ts-to-ours|ws', tsClientEndpoint(async () => (await loadTsClient()).WebSocketTransport.connect(ours.url!), true));
    endpoints.set('ts-to-ours|stdio', tsClientEndpoint(() => {
      const child = track(spawn(process.execPath, [`${ROOT}bin/arcp.mjs`, 'serve', '--stdio', '--conformance-agents', '--token', 'demo=alice', '--token', 'other=bob'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'ignore'] }));
      return tsStdioTo(child);
    }, false));
  });

  afterAll(async () => {
    stopChildren();
    await runtime.close();
  });

  for (const feature of FEATURES) {
    for (const d of DIRECTIONS) {
      for (const transport of TRANSPORTS) {
        const known = BASELINE.find((b) => b.feature === feature.id && b.direction === d.id && b.transport === transport);
        it(`${feature.id}: ${d.title} (${transport})${known ? ' [known peer defect]' : ''}`, async () => {
          const cell: Cell = { feature: feature.id, direction: d.id, transport, outcome: 'pass' };
          let failure: Failure | undefined;
          try {
            await feature.run(endpoints.get(`${d.id}|${transport}`)!);
          } catch (e) {
            if (e instanceof NotApplicable) cell.outcome = 'n/a';
            else failure = e instanceof Failure ? e : new Failure(`threw ${(e as Error)?.stack ?? e}`);
          }
          const matchesKnown = (f: Failure): boolean => known !== undefined && new RegExp(known.failure).test(f.message);
          if (failure) cell.outcome = matchesKnown(failure) ? 'known-defect' : 'fail';
          cells.push(cell);
          // Evidence for the baseline: ARCP_INTEROP_EVIDENCE=<file> appends every failure with its frame.
          if (failure && process.env.ARCP_INTEROP_EVIDENCE) {
            appendFileSync(process.env.ARCP_INTEROP_EVIDENCE, `${JSON.stringify({ feature: feature.id, direction: d.id, transport, failure: failure.message, frame: failure.frame ?? null })}\n`);
          }
          if (known) {
            expect(failure, `baselined defect no longer shows (stale baseline): ${known.defect}`).toBeDefined();
            expect(failure!.message, `failure differs from the baselined one; frame: ${JSON.stringify(failure!.frame)}`).toMatch(new RegExp(known.failure));
          } else if (failure) {
            throw new Error(`${failure.message}\nframe: ${JSON.stringify(failure.frame)}`);
          }
        });
      }
    }
  }

  it('docs/interop.md is the matrix of these results', () => {
    expect(cells).toHaveLength(FEATURES.length * DIRECTIONS.length * TRANSPORTS.length); // every cell ran
    const doc = renderMatrix(FEATURES, cells, BASELINE, PEER_COMMIT);
    if (process.env.ARCP_INTEROP_WRITE === '1') writeFileSync(DOC, doc);
    expect(readFileSync(DOC, 'utf8')).toBe(doc);
  });
});
