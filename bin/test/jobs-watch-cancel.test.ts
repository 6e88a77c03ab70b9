// `arcp jobs`, `arcp watch JOB` and `arcp cancel JOB` against a real `arcp serve` over
// WebSocket, configured through ARCP_URL / ARCP_TOKEN, with --json final records.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCPClient, type JobHandle } from '../../runtime-kit/client/index.js';
import { connectWebSocket } from '../../runtime-kit/transport/index.js';

const ARCP = new URL('../arcp.mjs', import.meta.url).pathname;
const TOKEN = 'cli-secret';

interface Run {
  status: number | null;
  lines: Record<string, unknown>[];
  stderr: string;
}

let server: ChildProcessWithoutNullStreams;
let url = '';

/** Runs `arcp ARGS` with ARCP_URL/ARCP_TOKEN set; resolves with its exit status and JSON lines. */
function arcp(args: readonly string[], env: Record<string, string> = { ARCP_URL: url, ARCP_TOKEN: TOKEN }, onLine?: (line: Record<string, unknown>, child: ChildProcessWithoutNullStreams) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ARCP, ...args], { env: { ...process.env, ARCP_URL: '', ARCP_TOKEN: '', ...env } });
    let out = '';
    let stderr = '';
    const lines: Record<string, unknown>[] = [];
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const line = JSON.parse(out.slice(0, nl)) as Record<string, unknown>;
        out = out.slice(nl + 1);
        lines.push(line);
        onLine?.(line, child);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, lines, stderr }));
  });
}

const final = (run: Run) => run.lines.at(-1);

async function ownerSubmit(input: Record<string, unknown>): Promise<{ client: ARCPClient; handle: JobHandle }> {
  const client = new ARCPClient({ client: { name: 'owner', version: '1' }, token: TOKEN });
  await client.connect(await connectWebSocket(url));
  return { client, handle: await client.submit({ agent: 'demo.countdown', input }) };
}

beforeAll(async () => {
  server = spawn(process.execPath, [ARCP, 'serve', '--port', '0', '--token', `${TOKEN}=alice`]);
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.once('exit', (code) => reject(new Error(`arcp serve exited ${code}`)));
  });
});

afterAll(() => {
  server?.kill('SIGTERM');
});

describe('arcp jobs / watch / cancel', () => {
  it('jobs lists with filters from ARCP_URL/ARCP_TOKEN and ends with a final record', async () => {
    const { client, handle } = await ownerSubmit({ from: 600, interval_ms: 100 }); // runs 60 s: cancelled below
    try {
      const all = await arcp(['jobs', '--json']);
      expect(all.status, all.stderr).toBe(0);
      const listed = all.lines.find((l) => l.type === 'job' && l.job_id === handle.jobId);
      expect(listed, JSON.stringify(all.lines)).toMatchObject({ agent: 'demo.countdown@1.0.0' });
      expect(['pending', 'running']).toContain(listed!.status);
      expect(final(all)).toEqual({ type: 'final', code: 'OK', retryable: null, final_status: null, exit: 0 });
      const done = await arcp(['jobs', '--json', '--status', 'success,error']);
      expect(done.lines.some((l) => l.job_id === handle.jobId)).toBe(false);
      const bad = await arcp(['jobs', '--json', '--created-after', 'yesterday']);
      expect(bad.status).toBe(2);
      expect(final(bad)).toMatchObject({ code: 'USAGE', exit: 2 });
    } finally {
      await handle.cancel().catch(() => undefined);
      await client.close();
    }
  });

  it('watch replays history and exits with the job outcome: success, then a cancelled job', async () => {
    const { client, handle } = await ownerSubmit({ from: 3, interval_ms: 150 });
    try {
      await handle.done;
      const ok = await arcp(['watch', handle.jobId, '--json']);
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.lines[0]).toMatchObject({ type: 'subscribed', job_id: handle.jobId });
      expect(ok.lines.filter((l) => l.type === 'event' && l.kind === 'progress').length).toBeGreaterThan(0);
      expect(final(ok)).toEqual({ type: 'final', code: 'OK', retryable: null, final_status: 'success', exit: 0 });
    } finally {
      await client.close();
    }
    const second = await ownerSubmit({ from: 100, interval_ms: 100 });
    try {
      const watching = arcp(['watch', second.handle.jobId, '--json'], undefined, (line) => {
        if (line.type === 'subscribed') void second.handle.cancel('test cancels while watched');
      });
      const cancelled = await watching;
      expect(final(cancelled)).toEqual({ type: 'final', code: 'CANCELLED', retryable: false, final_status: 'cancelled', exit: 16 });
      expect(cancelled.status).toBe(16);
    } finally {
      await second.client.close();
    }
  });

  it('cancel from another session is refused (PERMISSION_DENIED); resuming the submitter\'s session cancels', async () => {
    let accepted: Record<string, unknown> | undefined;
    const submitting = arcp(['submit', 'demo.countdown', '--input', '{"from": 200, "interval_ms": 100}', '--url', url, '--token', TOKEN, '--json'], {}, (line, child) => {
      if (line.type === 'accepted' && accepted === undefined) {
        accepted = line;
        child.kill('SIGKILL'); // the session drops without session.close: resumable, job still running
      }
    });
    await submitting;
    expect(accepted).toMatchObject({ job_id: expect.stringMatching(/^job_/), session_id: expect.any(String), resume_token: expect.any(String) });
    const jobId = String(accepted!.job_id);

    const refused = await arcp(['cancel', jobId, '--json']);
    expect(refused.status).toBe(10);
    expect(final(refused)).toEqual({ type: 'final', code: 'PERMISSION_DENIED', retryable: false, final_status: null, exit: 10 });
    expect(refused.stderr).toContain('ERROR PERMISSION_DENIED');

    const cancelled = await arcp(['cancel', jobId, '--json', '--session', String(accepted!.session_id), '--resume-token', String(accepted!.resume_token)]);
    expect(cancelled.status, cancelled.stderr).toBe(0);
    expect(final(cancelled)).toEqual({ type: 'final', code: 'OK', retryable: null, final_status: 'cancelled', exit: 0 });
    const listed = await arcp(['jobs', '--json', '--status', 'cancelled']);
    expect(listed.lines.some((l) => l.job_id === jobId)).toBe(true);
  });

  it('every new command documents examples and exit statuses in --help', async () => {
    for (const command of ['jobs', 'watch', 'cancel']) {
      const help = await new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [ARCP, command, '--help']);
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.once('close', () => resolve(out));
      });
      expect(help, command).toContain('Examples:');
      expect(help, command).toContain(`$ arcp ${command}`);
      expect(help, command).toMatch(/Exit status: 0 success, 1 other failure, 2 USAGE/);
      expect(help, command).toContain('ARCP_URL');
    }
  });
});
