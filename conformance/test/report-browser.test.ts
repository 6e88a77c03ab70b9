// report.html in a real browser (issue 8 item 9): a real failing run over a WebSocket, its page
// rendered by headless Chromium (--dump-dom), and the DOM the browser built must lead with the
// verdict, then the failures (statement, marked offending frame, seed, replay), then the matrix;
// every check has its own anchor; harness version and coverage are on the page. Skips, saying
// so, when no Chromium is installed (Debian: apt-get install chromium; or set CHROMIUM=path).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../runtime-kit/agents/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/runtime.js';
import { HARNESS } from '../defaults.js';
import { runConformance, type RunResult } from '../index.js';
import { checkAnchor } from '../report/html.js';

function findChromium(): string | undefined {
  for (const c of [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    if (!c) continue;
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return undefined;
}

const chromium = findChromium();
if (!chromium) console.warn('report-browser.test: SKIPPED, no Chromium found (apt-get install chromium, or set CHROMIUM=/path/to/chrome)');

/** The DOM Chromium built from the page, serialised. */
function dumpDom(bin: string, file: string, profileDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profileDir}`, '--dump-dom', pathToFileURL(file).href];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`chromium exited ${code}`))));
  });
}

describe.skipIf(!chromium)('report.html in headless Chromium', () => {
  let runtime: ARCPRuntime;
  let dir: string;
  let result: RunResult;
  let dom: string;
  beforeAll(async () => {
    // both tokens are one principal: the session-takeover check fails, for real, over the wire
    runtime = new ARCPRuntime({ tokens: { 'tok-a': 'alice', 'tok-b': 'alice' } });
    registerConformanceAgents(runtime);
    const server = await runtime.listen({ host: '127.0.0.1', port: 0, path: '/arcp' });
    dir = await mkdtemp(join(tmpdir(), 'arcp-report-browser-'));
    result = await runConformance({
      target: `ws://127.0.0.1:${server.address()!.port}/arcp`,
      token: 'tok-a',
      tokenB: 'tok-b',
      only: '6.3/resume/other-principal-refused,6.3/resume/token-rotates,7.1/**',
      seed: 17,
      runs: 2,
      reportDir: dir,
      output: 'silent',
    });
    dom = await dumpDom(chromium!, join(dir, 'report.html'), join(dir, 'chromium-profile'));
  }, 120_000);
  afterAll(async () => {
    await runtime?.close();
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  it('the browser shows the verdict first, then the failures, then the matrix', () => {
    expect(result.exitCode).toBe(1);
    expect(dom).toMatch(/<div class="status" data-verdict="non-conformant">NON-CONFORMANT<\/div>/);
    const at = (s: string) => dom.indexOf(s);
    expect(at('id="verdict"')).toBeGreaterThan(0);
    expect(at('id="verdict"')).toBeLessThan(at('id="failures"'));
    expect(at('id="failures"')).toBeLessThan(at('id="matrix"'));
    expect(at('id="matrix"')).toBeLessThan(at('id="checks"'));
    expect(dom).toContain(`${HARNESS.name} ${HARNESS.version}`);
    expect(dom).toMatch(/runtime-side, wire-observable MUST\/SHOULD: \d+ of \d+ tested/);
  });

  it('a failure carries its statement, the marked offending frame, the seed and the replay command', () => {
    const anchor = checkAnchor('6.3/resume/other-principal-refused');
    const start = dom.indexOf(`id="${anchor}-failure"`);
    expect(start).toBeGreaterThan(0);
    const block = dom.slice(start, dom.indexOf('</div>\n', dom.indexOf('class="trace"', start)));
    expect(block).toContain('S6.3-04');
    expect(block).toContain('a session is resumed only by its own principal');
    expect(block).toMatch(/class="recv offending"[^>]*>[^<]*session\.welcome[^<]*◀ offending frame/);
    expect(block).toContain('Seed <code>17</code>');
    expect(block).toContain('arcp conformance --only 6.3/resume/other-principal-refused --seed 17 --runs 1');
  });

  it('every check has exactly one anchor, and the matrix links to it', async () => {
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    for (const v of result.verdicts) {
      const anchor = checkAnchor(v.id);
      expect(dom.split(`id="${anchor}"`).length - 1, v.id).toBe(1);
      expect(dom, v.id).toContain(`href="#${anchor}"`);
    }
    // the browser kept what the page says (nothing dropped as malformed)
    expect(dom.match(/<tr id="check-/g)?.length).toBe(html.match(/<tr id="check-/g)?.length);
  });
});
