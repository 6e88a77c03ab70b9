// A runtime process for the revocation-ledger kill -9 tests, started with
// `node --import tsx credential-child.ts STORE JOURNAL`: a real ARCPRuntime on a real store
// (sqlite:PATH or redis://) whose credential provisioner stands for an upstream gateway that
// outlives the runtime: every issue and revoke is appended to JOURNAL (one JSON line each), so
// the test sees, after a SIGKILL and a restart, that the restarted process revoked what the
// dead one issued. Test-only code.
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ARCPRuntime } from '../../../runtime-kit/runtime/index.js';
import { openStore } from '../../../runtime-kit/store/open-store.js';
import { RedisRuntimeStore } from '../../../runtime-kit/store/redis-store.js';
import type { CredentialJob, CredentialProvisioner } from '../../../runtime-kit/authority/index.js';
import type { Credential } from '../../../generated/index.js';

const [spec, journal] = process.argv.slice(2);
if (!spec || !journal) throw new Error('usage: credential-child.ts STORE JOURNAL');

const note = (entry: Record<string, unknown>): void => appendFileSync(journal, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);

class JournalProvisioner implements CredentialProvisioner {
  async issue(job: CredentialJob): Promise<Credential[]> {
    const id = `cred_${randomBytes(8).toString('hex')}`;
    note({ op: 'issue', id, job_id: job.jobId });
    return [{ id, scheme: 'bearer', value: `sk-${randomBytes(16).toString('hex')}`, endpoint: 'https://gateway.invalid/v1' }];
  }
  async rotate(c: Credential): Promise<Credential> {
    return { ...c, value: `sk-${randomBytes(16).toString('hex')}` };
  }
  async revoke(id: string): Promise<void> {
    note({ op: 'revoke', id });
  }
  async revokeJob(jobId: string): Promise<void> {
    note({ op: 'revoke_job', job_id: jobId });
  }
}

// Redis: a short liveness TTL, so the restarted node sees the killed one dead sooner.
const store = spec.startsWith('redis://') ? await RedisRuntimeStore.connect(spec, { livenessTtlMs: 1000 }) : await openStore(spec);
const runtime = new ARCPRuntime({
  store,
  tokens: { t: 'alice' },
  credentialProvisioner: new JournalProvisioner(),
  plainLoopbackCredentials: true,
  credentialRetry: { attempts: 2 },
  logger: (level, message, data) => process.stderr.write(`${JSON.stringify({ level, message, ...data })}\n`),
});
runtime.registerAgent('hang', async (_input, ctx) => {
  await new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
});
try {
  await runtime.ready();
} catch (err) {
  process.stderr.write(`cannot start: ${String(err)}\n`);
  process.exit(2);
}
const server = await runtime.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening on ${server.url}\n`);
