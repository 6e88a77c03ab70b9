// `arcp serve --log-level --log-format` run as a real process: with json, every stderr line is a
// JSON record (ts, level, msg) and sessions, jobs (success and a typed failure) and the server's
// own lifecycle appear with their ids; with text and a higher level, lower records are dropped.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ARCPClient } from '../../runtime-kit/client/index.js';
import { connectWebSocket } from '../../runtime-kit/transport/index.js';

const ARCP = new URL('../arcp.mjs', import.meta.url).pathname;

interface Served {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

async function serve(...flags: string[]): Promise<Served> {
  const child = spawn(process.execPath, [ARCP, 'serve', '--port', '0', '--token', 't=alice', ...flags], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`arcp serve exited ${code}: ${err}`)));
  });
  return { child, url, stderr: () => err, exited };
}

async function useRuntime(url: string): Promise<{ ok: string; failed: string }> {
  const client = new ARCPClient({ client: { name: 'log-test', version: '1.0.0' }, token: 't' });
  await client.connect(await connectWebSocket(url));
  const ok = await client.submit({ agent: 'demo.echo', input: { hi: 1 } });
  await ok.done;
  const failed = await client.submit({ agent: 'demo.countdown', input: { from: -1 } });
  await expect(failed.done).rejects.toThrow(/from must be/);
  await expect(client.submit({ agent: 'no.such.agent' })).rejects.toThrow();
  await client.close();
  const intruder = new ARCPClient({ client: { name: 'log-test', version: '1.0.0' }, token: 'wrong' });
  await expect(intruder.connect(await connectWebSocket(url))).rejects.toThrow();
  return { ok: ok.jobId, failed: failed.jobId };
}

describe('arcp serve structured logs', () => {
  it('--log-format json --log-level debug: JSON lines for sessions, jobs and errors', async () => {
    const served = await serve('--log-format', 'json', '--log-level', 'debug');
    let jobs: { ok: string; failed: string };
    try {
      jobs = await useRuntime(served.url);
    } finally {
      served.child.kill('SIGTERM');
    }
    expect(await served.exited).toBe(0);
    const lines = served.stderr().split('\n').filter((l) => l !== '');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>); // every line parses
    for (const r of records) {
      expect(Date.parse(String(r.ts))).not.toBeNaN();
      expect(['debug', 'info', 'warn', 'error']).toContain(r.level);
      expect(typeof r.msg).toBe('string');
    }
    const byEvent = (event: string) => records.filter((r) => r.event === event);
    expect(byEvent('serve.ready')[0]).toMatchObject({ level: 'info', transport: 'websocket', url: served.url });
    const [attached] = byEvent('session.attached');
    expect(attached).toMatchObject({ level: 'info', principal: 'alice', resumed: false });
    expect(byEvent('job.started').map((r) => r.job_id)).toEqual([jobs!.ok, jobs!.failed]);
    const ended = byEvent('job.ended');
    expect(ended.find((r) => r.job_id === jobs!.ok)).toMatchObject({ level: 'info', final_status: 'success', session_id: attached!.session_id });
    expect(ended.find((r) => r.job_id === jobs!.failed)).toMatchObject({ level: 'warn', final_status: 'error', code: 'INVALID_REQUEST', retryable: false });
    expect(byEvent('job.rejected')[0]).toMatchObject({ level: 'warn', agent: 'no.such.agent', code: 'AGENT_NOT_AVAILABLE', principal: 'alice' });
    expect(byEvent('session.error').map((r) => r.code)).toContain('UNAUTHENTICATED');
    expect(lines.join('\n')).not.toContain('wrong'); // the refused token is never logged
    expect(byEvent('session.detached')[0]).toMatchObject({ session_id: attached!.session_id, reason: 'closed' });
    expect(byEvent('serve.stopping')[0]).toMatchObject({ why: 'SIGTERM' });
  }, 60_000);

  it('--log-format text --log-level warn: only warnings and errors, as text', async () => {
    const served = await serve('--log-format', 'text', '--log-level', 'warn');
    let jobs: { ok: string; failed: string };
    try {
      jobs = await useRuntime(served.url);
    } finally {
      served.child.kill('SIGTERM');
    }
    await served.exited;
    const lines = served.stderr().split('\n').filter((l) => l !== '');
    const records = lines.filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
    expect(records.length).toBeGreaterThan(0);
    for (const l of records) expect(l).toMatch(/^\S+ (WARN |ERROR) /);
    expect(records.join('\n')).toContain(`job ended event=job.ended job_id=${jobs!.failed}`);
    expect(served.stderr()).not.toContain(jobs!.ok); // the successful job logs at info only
  }, 60_000);

  it('refuses an unknown level', async () => {
    const child = spawn(process.execPath, [ARCP, 'serve', '--log-level', 'loud'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(err).toMatch(/--log-level.*one of debug, info, warn, error/);
  }, 60_000);
});
