// Invariant: every documented wire variant (schema/variants/, the catalog's variant tables) that a
// runtime may send reaches the caller — no protocol error, nothing dropped — and event bodies
// reach it in the spec's form (§8.2), whichever SDK sent them. The catalog walk makes sure no
// variant the catalog documents is missing from schema/variants/.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS, MESSAGES } from '../../../generated/registry.js';
import { validateEventBody } from '../../../generated/validators.js';
import { ARCPClient } from '../client.js';
import type { JobEvent } from '../types.js';
import { decodeInbound } from '../wire.js';
import { FakePeer, settle } from './support/fake-peer.js';
import { codeSpans, tableAfter } from './support/markdown-tables.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const CATALOG = new URL('../../../../shared/reference/wire-catalog.md', import.meta.url).pathname;

interface Variant { why: string; source?: string; strict: 'accept' | 'reject'; lenient: 'accept' | 'reject'; value: any }
const variants: Array<Variant & { target: string }> = readdirSync(`${ROOT}schema/variants`)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => (JSON.parse(readFileSync(`${ROOT}schema/variants/${f}`, 'utf8')) as Variant[]).map((v) => ({ ...v, target: f.slice(0, -5) })));
const accepted = variants.filter((v) => v.lenient === 'accept');
const isKind = (t: string): boolean => t in EVENT_KINDS;

/**
 * Bodies whose spec form cannot be reached from what the peer sent; each stays lenient-valid and
 * is passed through unchanged. Keyed `<target>: <why>`.
 */
const PASSED_THROUGH: Readonly<Record<string, string>> = {
  'delegate: Go/Py notification shape': 'no delegate_id or input to synthesise; catalog §9 #12 says treat it as opaque except child_job_id',
  'progress: fractional progress numbers': 'spec §8.2.1 `current` is a number; integers are only our emit policy (catalog §9 #38)',
  'job.event: progress with a fractional current': 'as progress: fractional numbers are spec-valid (catalog §9 #38)',
  'status: credential_rotated without details (TS-era peers)': 'the id and value were never sent: nothing to synthesise',
  'artifact_ref: sha256 not 64 hex': 'a digest we cannot check is passed through, as TS does (catalog §3.2)',
};

/** The (kind, body) a variant puts in a job.event, if it is one. */
function eventOf(v: Variant & { target: string }): { kind: string; body: unknown } | undefined {
  if (isKind(v.target)) return { kind: v.target, body: v.value };
  if (v.target === 'job.event' && typeof v.value?.payload?.kind === 'string') return { kind: v.value.payload.kind, body: v.value.payload.body };
  return undefined;
}

async function jobOnFakePeer() {
  const peer = new FakePeer();
  const client = new ARCPClient({ client: { name: 't', version: '1' }, token: 't' });
  const errors: Error[] = [];
  client.on('protocolError', (e) => errors.push(e));
  const p = client.connect(peer.clientSide);
  await peer.welcome();
  await p;
  const h = client.submit({ agent: 'echo' });
  await peer.accept('job_01JVARIANTAAAAAAAAAAAAAAAA');
  return { peer, client, handle: await h, errors };
}

describe('documented variants reach the caller', () => {
  const inbound = accepted.filter((v) => !isKind(v.target) && MESSAGES[v.target as keyof typeof MESSAGES]?.direction !== 'client_to_runtime');

  it.each(inbound.map((v) => [`${v.target}: ${v.why}`, v] as const))('%s decodes without a protocol error', (_name, v) => {
    const d = decodeInbound(JSON.stringify(v.value));
    expect(d.ok === false ? d.error.message : d.ok).not.toBe(false);
  });

  const events = accepted.map((v) => ({ v, ev: eventOf(v) })).filter((e) => e.ev && e.ev.kind in EVENT_KINDS);

  it('every event-body variant is delivered, in the spec form unless documented as passed through', async () => {
    expect(events.length).toBeGreaterThan(15);
    const { peer, client, handle, errors } = await jobOnFakePeer();
    for (const { ev } of events) peer.event(handle.jobId, ev!.kind, ev!.body);
    peer.sendSeq('job.result', handle.jobId, { final_status: 'success', result: null });
    await settle();
    const got: JobEvent[] = [];
    for await (const e of handle.events()) got.push(e);
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(got).toHaveLength(events.length);
    const notStrict: string[] = [];
    events.forEach(({ v, ev }, i) => {
      const key = `${v.target}: ${v.why}`;
      const body = got[i]!.body;
      const strict = validateEventBody('strict', ev!.kind, body);
      if (PASSED_THROUGH[key]) {
        expect(body, key).toEqual(ev!.body);
        expect(validateEventBody('lenient', ev!.kind, body).ok, key).toBe(true);
      } else if (strict.ok !== true) {
        notStrict.push(`${key}: ${JSON.stringify(body)} ${JSON.stringify(strict)}`);
      }
    });
    expect(notStrict).toEqual([]);
    await client.close();
  });

  it('normalises the Py bodies field by field (catalog §3.2)', async () => {
    const { peer, client, handle } = await jobOnFakePeer();
    peer.event(handle.jobId, 'tool_call', { tool_call_id: 'c1', name: 'grep', arguments: { q: 'x' } });
    peer.event(handle.jobId, 'tool_result', { tool_call_id: 'c1', output: { n: 3 }, error: null });
    peer.event(handle.jobId, 'tool_result', { tool_call_id: 'c2', error: 'boom' });
    peer.event(handle.jobId, 'artifact_ref', { artifact_id: 'a1', media_type: 'text/plain', size_bytes: 5, summary: 's' });
    peer.event(handle.jobId, 'metric', { name: 'tokens', value: 3, attributes: { model: 'm' } });
    peer.event(handle.jobId, 'log', { level: 'warning', message: 'w', fields: { k: 1 } });
    peer.sendSeq('job.result', handle.jobId, { final_status: 'success', result: null });
    await settle();
    const bodies: unknown[] = [];
    for await (const e of handle.events()) bodies.push(e.body);
    expect(bodies).toEqual([
      { tool: 'grep', args: { q: 'x' }, call_id: 'c1' },
      { call_id: 'c1', result: { n: 3 } },
      { call_id: 'c2', error: { code: 'INTERNAL_ERROR', message: 'boom', retryable: true } },
      { artifact_id: 'a1', summary: 's', content_type: 'text/plain', uri: 'urn:arcp:artifact:a1', byte_size: 5 },
      { name: 'tokens', value: 3, dimensions: { model: 'm' } },
      { level: 'warn', message: 'w', attributes: { k: 1, level_name: 'warning' } },
    ]);
    await client.close();
  });
});

const catalogPresent = existsSync(CATALOG);
if (!catalogPresent) console.log(`SKIP wire-catalog variant walk: ${CATALOG} is absent (needs ../shared/reference)`);

/** Rows of the §9 divergence table that document no frame a client receives, with why. */
const NO_RECEIVED_VARIANT: Readonly<Record<number, string>> = {
  6: 'an ordering (subscribed before/after replay), not a frame shape: the router buffers a replay on an adopted handle',
  7: 'a value convention; any int >= 0 is schema-valid',
  9: 'runtime replay policy',
  20: 'an emission rule (first seq 1)',
  25: 'ping policy (behaviour)',
  27: 'runtime resume authority',
  28: 'runtime resume window',
  29: 'runtime principal check on resume',
  30: 'runtime idempotent replay: the frames are ordinary job.accepted / terminals',
  31: 'runtime idempotency digest',
  32: 'runtime listing scope',
  34: 'harness position: JOB_NOT_FOUND or job.subscribed, both ordinary frames',
  35: 'error routing of ordinary PERMISSION_DENIED frames (error-routing tests)',
  37: 'vendor message types are handled by the codec before any schema (optional ones ignored)',
  40: 'runtime feature gating of submit extras',
  41: 'runtime model.use gate',
  42: 'runtime agent.delegate gate',
  43: 'runtime delegated budget',
};

describe.skipIf(!catalogPresent)('the wire catalog variant tables are all in schema/variants', () => {
  const catalog = catalogPresent ? readFileSync(CATALOG, 'utf8') : '';

  it('§3.2: every field name an SDK uses for a reserved kind is known to its schema or a variant', () => {
    const rows = tableAfter(catalog, /^### 3\.2 /);
    // The table lists exactly the reserved kinds our schemas define.
    expect(rows.map((r) => r[0]!.replace(/`/g, '')).sort()).toEqual(Object.keys(EVENT_KINDS).sort());
    const missing: string[] = [];
    for (const [kindCell, , tsCell, otherCell] of rows) {
      const kind = kindCell!.replace(/`/g, '');
      const schema = JSON.parse(readFileSync(`${ROOT}schema/events/${kind}.json`, 'utf8'));
      const strictProps = new Set(Object.keys(schema.properties ?? {}));
      const strictText = JSON.stringify([schema.properties, schema.examples]);
      const mine = accepted.filter((v) => eventOf(v)?.kind === kind);
      const variantKeys = new Set(mine.filter((v) => v.strict === 'reject').flatMap((v) => keysDeep(eventOf(v)!.body)));
      // TS column: the fields it names as (req)/(opt); other SDKs: every identifier in a code span.
      const tsFields = [...tsCell!.matchAll(/`([a-z_]+)`\s*(?:and `[a-z_]+`\s*)?\((?:\*\*)?(?:req|opt)/g)].map((m) => m[1]!);
      const otherFields = codeSpans(otherCell!).filter((s) => !s.includes('/')).flatMap((s) => s.match(/[a-z][a-z0-9_]*/g) ?? []);
      for (const name of new Set([...tsFields, ...otherFields])) {
        if (strictProps.has(name) || variantKeys.has(name) || strictText.includes(`"${name}"`)) continue;
        missing.push(`${kind}.${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('§9: every divergence row is covered by a variant citing it, or says why it has none', () => {
    const rows = tableAfter(catalog, /^## 9\. Divergences/);
    const numbers = rows.map((r) => Number(r[0]));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1)); // parsed every row, none skipped
    const cited = new Set(variants.flatMap((v) => [...(v.source ?? '').matchAll(/§9 #(\d+)/g)].map((m) => Number(m[1]))));
    const uncovered = numbers.filter((n) => !cited.has(n) && !NO_RECEIVED_VARIANT[n]);
    expect(uncovered.map((n) => `#${n} ${rows[n - 1]![1]}`)).toEqual([]);
    // An exemption for a row that now has variants is stale.
    expect(Object.keys(NO_RECEIVED_VARIANT).map(Number).filter((n) => cited.has(n))).toEqual([]);
  });
});

/**
 * Appendix A "Accept schemas": each bullet -> the schema/variants entry (`<target>: <why>`) that
 * documents it, or why it needs none.
 */
const APPENDIX_A: Readonly<Record<string, { variant: string } | { none: string }>> = {
  'Ignore unknown keys everywhere.': { none: 'objects are open in both forms (schema/README rule 5)' },
  'Treat `event_seq` 0 or absent on non-sequenced types as fine.': { variant: 'job.accepted: event_seq 0 on a non-sequenced type' },
  '`dims`, `dimensions` or `attributes`;': { variant: 'metric: attributes instead of dimensions (Py)' },
  '`result` or `output`;': { variant: 'job.result: inline result under Go\'s "output"' },
  'either `delegate` body shape;': { variant: 'delegate: Go/Py notification shape' },
  'either credential `constraints` shape;': { variant: 'job.accepted: TS-shaped credential constraints' },
  '`replayed` as bool or number;': { variant: 'job.subscribed: replayed as a count (Py)' },
  '`budget` values as numbers or strings;': { variant: 'job.accepted: budget as "USD:5.00" strings (Py)' },
  '`session.bye` or `session.close`;': { variant: 'session.bye: legacy close (TS SDK): accepted, never sent' },
  '`hello.resume` or `session.resume`;': { variant: 'session.resume: Rust form: no session_id anywhere' },
  'a pre-welcome `session.error` without `session_id`;': { variant: 'session.error: pre-welcome error without session_id (TS runtime, Go empty id)' },
  '`job.cancelled` with or without `event_seq`;': { variant: 'job.cancelled: with event_seq (Go stamps it)' },
  '`job.subscribed` before or after the replay.': { none: 'an ordering, not a frame shape: the router buffers a replay that precedes job.subscribed' },
  'Map non-canonical error codes to INTERNAL_ERROR instead of rejecting.': { variant: 'session.error: non-canonical code (mapped to INTERNAL_ERROR by the receiver)' },
  'Skip credentials whose `scheme` is unknown instead of rejecting the message.': { variant: 'job.accepted: credential with an unknown scheme (skipped by the client)' },
};

describe.skipIf(!catalogPresent)('the wire catalog Appendix A accept list is all in schema/variants', () => {
  it('every accept bullet names a lenient-accepted variant (or why it needs none)', () => {
    const catalog = readFileSync(CATALOG, 'utf8');
    const start = catalog.indexOf('**Accept schemas**');
    expect(start).toBeGreaterThan(0);
    const bullets: string[] = [];
    for (const line of catalog.slice(start).split('\n').slice(1)) {
      const m = /^\s*- (.+)$/.exec(line);
      if (!m) {
        if (line.trim() === '' && bullets.length > 0) break;
        continue;
      }
      if (m[1] !== 'Accept:') bullets.push(m[1]!.trim());
    }
    expect(bullets.filter((b) => !APPENDIX_A[b])).toEqual([]);
    const byKey = new Set(accepted.map((v) => `${v.target}: ${v.why}`));
    const dangling = Object.entries(APPENDIX_A).filter(([, m]) => 'variant' in m && !byKey.has(m.variant)).map(([b]) => b);
    expect(dangling).toEqual([]);
    expect(Object.keys(APPENDIX_A).filter((b) => !bullets.includes(b))).toEqual([]); // no stale entry
  });
});

function keysDeep(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(keysDeep);
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => [k, ...keysDeep(x)]);
}
