// No secret in any report (issue 8 item 6): a real run over a WebSocket with distinctive tokens
// that fails (so traces with handshakes and resumes are written), then every file of the report
// directory is searched for the tokens and for the resume tokens the runtime issued.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConformanceAgents } from '../../runtime-kit/agents/index.js';
import { ARCPRuntime } from '../../runtime-kit/runtime/runtime.js';
import { runConformance } from '../index.js';
import { Redactor } from '../report/redact.js';

const TOKEN_A = 'zq81-secret-alpha-7c1f';
const TOKEN_B = 'zq81-secret-bravo-93e0';
const RESUME_TOKEN = /rt_[0-9a-f]{64}/;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('reports carry no secret', () => {
  let runtime: ARCPRuntime;
  let url: string;
  let dir: string;
  beforeAll(async () => {
    // both tokens map to ONE principal: B "takes over" A's session and sees A's jobs, so the
    // cross-principal checks fail and their traces (hellos, resumes) land in every report
    runtime = new ARCPRuntime({ tokens: { [TOKEN_A]: 'alice', [TOKEN_B]: 'alice' } });
    registerConformanceAgents(runtime);
    const server = await runtime.listen({ host: '127.0.0.1', port: 0, path: '/arcp' });
    url = `ws://127.0.0.1:${server.address()!.port}/arcp`;
    dir = await mkdtemp(join(tmpdir(), 'arcp-redaction-'));
  });
  afterAll(async () => {
    await runtime.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('tokens, resume tokens: in no report file; replay names the variables', async () => {
    const lines: string[] = [];
    const r = await runConformance({
      target: url,
      token: TOKEN_A,
      tokenB: TOKEN_B,
      only: '6.3/resume/other-principal-refused,6.6/list/other-principal-hidden',
      seed: 5,
      runs: 2,
      reportDir: dir,
      output: 'plain',
      write: (s) => lines.push(s),
    });
    const failed = r.verdicts.filter((v) => v.outcome === 'fail');
    expect(failed.map((v) => v.id)).toContain('6.3/resume/other-principal-refused');
    const takeover = failed.find((v) => v.id === '6.3/resume/other-principal-refused')!;
    // the evidence is still there, with placeholders
    const frames = takeover.trace!.map((f) => f.text).join('\n');
    expect(frames).toContain('"token":"$ARCP_TOKEN_B"');
    expect(frames).toMatch(/"resume_token":"<resume_token:1>"/);
    expect(takeover.replay).toContain(`--target ${url} --token "$ARCP_TOKEN" --token-b "$ARCP_TOKEN_B"`);

    const files = await filesUnder(dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(expect.arrayContaining(['report.json', 'report.html', 'junit.xml', 'certification.json']));
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      expect(text.includes(TOKEN_A), `${f} holds token A`).toBe(false);
      expect(text.includes(TOKEN_B), `${f} holds token B`).toBe(false);
      expect(RESUME_TOKEN.test(text), `${f} holds a resume token`).toBe(false);
    }
    const console = lines.join('');
    expect(console).toContain('6.3/resume/other-principal-refused');
    expect(console.includes(TOKEN_A) || console.includes(TOKEN_B) || RESUME_TOKEN.test(console)).toBe(false);
  });
});

describe('Redactor', () => {
  it('replaces known tokens as whole words and numbers other secrets consistently', () => {
    const r = new Redactor([{ value: 'demo', label: '$ARCP_TOKEN' }]);
    const frame = '{"payload":{"auth":{"scheme":"bearer","token":"demo"},"resume_token":"rt_0001aa"},"cost":1.00,"agent":"demo-agent"}';
    r.learn(frame);
    expect(r.text(frame)).toBe('{"payload":{"auth":{"scheme":"bearer","token":"$ARCP_TOKEN"},"resume_token":"<resume_token:1>"},"cost":1.00,"agent":"demo-agent"}');
    r.learn('{"resume_token":"rt_0002bb"}');
    expect(r.text('rotated rt_0001aa -> rt_0002bb, Bearer demo')).toBe('rotated <resume_token:1> -> <resume_token:2>, Bearer $ARCP_TOKEN');
    r.learn('Authorization: Bearer abcd.efgh');
    expect(r.text('header Bearer abcd.efgh')).toBe('header Bearer <token:1>');
  });
  it('a short learnt secret is replaced in its field and after Bearer, not in every word', () => {
    const r = new Redactor([]);
    r.learn('{"input":{"secret":"a"}}');
    r.learn('Authorization: Bearer xyz1');
    expect(r.text('{"input":{"secret":"a"}} a job of a principal')).toBe('{"input":{"secret":"<token:1>"}} a job of a principal');
    expect(r.text('header Bearer xyz1, xyz1 alone')).toBe('header Bearer <token:2>, xyz1 alone');
  });
  it('leaves text without secrets byte for byte', () => {
    const r = new Redactor([{ value: undefined, label: '$ARCP_TOKEN_B' }]);
    const frame = '{"a":1.0,"b":"x\\"y"}';
    r.learn(frame);
    expect(r.text(frame)).toBe(frame);
  });
});
