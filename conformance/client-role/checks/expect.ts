// Assertions shared by client checks: what the application was shown vs what the runtime sent.
import { require_, Violation } from '../../checks/outcomes.js';
import { canonicalJson } from '../../checks/define.js';
import type { Observation } from '../driver-protocol.js';
import type { ClientUnderTest } from '../client-under-test.js';
import type { Frame } from '../scripted-runtime.js';

/** The application saw exactly `seqs` for `jobId`, in this order, each once. */
export function requireSeqs(client: ClientUnderTest, jobId: string, seqs: readonly number[], what: string): void {
  const shown = client.events(jobId).map((e) => e.seq);
  const dup = shown.find((s, i) => shown.indexOf(s) !== i);
  if (dup !== undefined) throw new Violation(`${what}: the application was shown event_seq ${dup} twice (shown ${shown.join(',')})`);
  const missing = seqs.filter((s) => !shown.includes(s));
  if (missing.length) throw new Violation(`${what}: events with event_seq ${missing.join(',')} were never shown to the application (shown ${shown.join(',') || 'none'})`);
  const extra = shown.filter((s) => !seqs.includes(s));
  if (extra.length) throw new Violation(`${what}: the application was shown events the runtime never sent as part of this job: seq ${extra.join(',')}`);
  require_(shown.join(',') === seqs.join(','), `${what}: events shown out of order: ${shown.join(',')} (sent ${seqs.join(',')})`);
}

/** The result observation equals `expected` (JSON) or, for bytes, `expectedBase64`. */
export function requireResult(obs: Observation, expected: { json?: unknown; base64?: string; text?: string }, what: string): void {
  if (obs.obs !== 'result') throw new Violation(`${what}: expected a result, the application got ${obs.obs}${'code' in obs ? ` ${obs.code}` : ''}`);
  if (expected.base64 !== undefined) {
    const got = obs.result_base64 ?? (typeof obs.result === 'string' ? Buffer.from(obs.result, 'utf8').toString('base64') : undefined);
    if (got !== expected.base64) throw new Violation(`${what}: assembled bytes differ: got ${String(got).slice(0, 80)}, expected ${expected.base64.slice(0, 80)}`);
    return;
  }
  if (expected.text !== undefined) {
    const got = typeof obs.result === 'string' ? obs.result : obs.result_base64 !== undefined ? Buffer.from(obs.result_base64, 'base64').toString('utf8') : undefined;
    if (got !== expected.text) throw new Violation(`${what}: assembled text differs: got ${JSON.stringify(String(got).slice(0, 80))}, expected ${JSON.stringify(expected.text.slice(0, 80))}`);
    return;
  }
  if (canonicalJson(obs.result) !== canonicalJson(expected.json)) {
    throw new Violation(`${what}: the application got result ${JSON.stringify(obs.result)?.slice(0, 200)}, the runtime sent ${JSON.stringify(expected.json)?.slice(0, 200)}`);
  }
}

/** Frames of the given types the client sent (for "nothing outside X" checks). */
export function typesSent(frames: readonly Frame[]): string[] {
  return frames.map((f) => String(f.type));
}

export { require_, Violation };
