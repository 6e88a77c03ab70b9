// Every example under examples/ runs end to end (real servers, real frameworks, real
// OpenTelemetry SDK) and returns what its comments promise; examples/README.md lists each one.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main as certifyPeer } from '../examples/certify-peer.js';
import { main as clientResume } from '../examples/client-resume.js';
import { main as embed } from '../examples/embed.js';
import { main as expressExample } from '../examples/express.js';
import { main as fastifyExample } from '../examples/fastify.js';
import { main as honoExample } from '../examples/hono.js';
import { main as nodeHttp } from '../examples/node-http.js';
import { main as openTelemetryExample } from '../examples/opentelemetry.js';

const EXAMPLES = new URL('../examples/', import.meta.url);

describe('examples', () => {
  it('every example file is listed in examples/README.md and tested here', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts'));
    const readme = readFileSync(new URL('README.md', EXAMPLES), 'utf8');
    const self = readFileSync(new URL(import.meta.url), 'utf8');
    for (const f of files) {
      expect(readme).toContain(`\`${f}\``);
      expect(self).toContain(`../examples/${f.replace(/\.ts$/, '.js')}`);
    }
  });

  it('embed.ts', async () => {
    expect((await embed()).result).toEqual({ words: 4 });
  });

  it('client-resume.ts: every progress event arrives once, across the drop', async () => {
    const r = await clientResume();
    expect(r.progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.result).toEqual({ steps: 6 });
    expect(r.resumes).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['node-http.ts', nodeHttp, { status: 200, result: 'hello, node' }],
    ['express.ts', expressExample, { health: { ok: true }, result: 'hello, express' }],
    ['fastify.ts', fastifyExample, { health: { ok: true }, result: 'hello, fastify' }],
    ['hono.ts', honoExample, { health: { ok: true }, result: 'hello, hono' }],
  ] as const)('%s', async (_name, run, expected) => {
    expect(await run()).toEqual(expected);
  });

  it('opentelemetry.ts: job, tool call and delegated child in the caller trace', async () => {
    const r = await openTelemetryExample();
    expect(r.sameTrace).toBe(true);
    expect(r.spans).toEqual(
      expect.arrayContaining([
        { name: 'arcp.job', parent: 'checkout request' },
        { name: 'arcp.tool_call', parent: 'arcp.job' },
        { name: 'arcp.delegate', parent: 'arcp.job' },
        { name: 'arcp.job', parent: 'arcp.delegate' },
      ]),
    );
    expect(r.forwarded).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('certify-peer.ts: the subset passes against arcp-kit\'s runtime', async () => {
    const r = await certifyPeer();
    expect(r.checks).toBeGreaterThan(3);
    expect(r.failed).toBe(0);
    expect(r.exitCode).toBe(0);
  });
});
