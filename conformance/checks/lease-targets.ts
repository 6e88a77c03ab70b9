// §9.1-§9.3 with targets that are not already canonical. A runtime that matches the raw string
// lets `/w/../etc/passwd` through `/w/**` and `/w/a%2F..%2F..%2Fetc` through `/w/*`; one that
// canonicalises too eagerly strips every port. Escapes are judged deny-only (refusing a
// non-canonical target outright is allowed); literal and empty pattern lists exactly. Verdicts
// come from the job's tool_result frames, not from the agent's report.
import { field, jobIdOf } from '../driver/wire.js';
import type { Session } from '../driver/session.js';
import type { CheckContext } from '../runner/context.js';
import { AGENTS, requireErrorCode, scenario } from './define.js';
import { require_ } from './outcomes.js';
import type { CheckDef } from './types.js';
import { requireOpsOnWire } from './wire-probes.js';

interface Probe {
  capability: string;
  target: string;
  allowed: boolean;
  why: string;
}

async function probe(ctx: CheckContext, s: Session, lease: Record<string, string[]>, probes: readonly Probe[], label: string): Promise<void> {
  const ops = probes.map((p) => ({ capability: p.capability, target: p.target }));
  const jobId = await ctx.submit(s, AGENTS.tools, { ops }, { lease_request: lease });
  const term = await ctx.terminal(s, jobId);
  require_(term.type === 'job.result', `${label}: conformance.tools ended with ${term.type} ${String(field(term, 'payload', 'code') ?? '')}`, term);
  requireOpsOnWire(
    s.conn.messages(),
    jobId,
    probes.map((p) => ({ allowed: p.allowed, codes: p.allowed ? undefined : ['PERMISSION_DENIED', 'INVALID_REQUEST'], what: `${p.capability} ${p.target} (${p.why})` })),
    label,
  );
}

export const leaseTargetChecks: CheckDef[] = [
  scenario({
    id: '9.2/targets/non-canonical-never-widen',
    statements: ['S9.2-01', 'S9.1-01', 'S9.3-02'],
    spec: '§9.1, §9.2, §9.3',
    level: 'MUST',
    title: 'non-canonical targets never widen a lease: dot segments climbing out of /w, a non-default port, a look-alike host and a case-changed path are denied',
    agents: [AGENTS.tools],
    async run(ctx) {
      const s = await ctx.open('A');
      const lease = { 'fs.read': ['/w/*', '/w/pub/**'], 'net.fetch': ['https://api.example.com/**'] };
      await probe(ctx, s, lease, [
        { capability: 'fs.read', target: '/w/a', allowed: true, why: 'control: one segment under /w/*' },
        { capability: 'fs.read', target: '/w/../etc', allowed: false, why: 'dot segment climbs out of /w' },
        { capability: 'fs.read', target: '/w/pub/../../etc/passwd', allowed: false, why: 'dot segments climb out of /w/pub/**' },
        { capability: 'fs.read', target: '/W/a', allowed: false, why: 'path case differs (matching is case-sensitive)' },
        { capability: 'net.fetch', target: 'https://api.example.com/v1', allowed: true, why: 'control: inside the URL glob' },
        { capability: 'net.fetch', target: 'https://api.example.com:8443/v1', allowed: false, why: 'a non-default port is another origin' },
        { capability: 'net.fetch', target: 'https://api.example.com.evil.example/v1', allowed: false, why: 'look-alike host' },
      ], 'non-canonical targets');
    },
  }),
  scenario({
    id: '9.2/targets/percent-encoded-never-widen',
    statements: ['S9.2-01'],
    spec: '§9.2',
    level: 'interop',
    gradeReason: 'the spec does not say whether targets are percent-decoded before matching; refusing encoded dots and separators is the catalog\'s position (§10 #30), so a runtime that matches the raw string is non-interoperable, not non-conformant',
    title: 'percent-encoded dot segments and separators (`%2e%2e`, `%2F`, `%2f`) never let a target climb out of its pattern (catalog §10 #30)',
    agents: [AGENTS.tools],
    async run(ctx) {
      const s = await ctx.open('A');
      const lease = { 'fs.read': ['/w/*', '/w/pub/**'] };
      await probe(ctx, s, lease, [
        { capability: 'fs.read', target: '/w/a', allowed: true, why: 'control: one segment under /w/*' },
        { capability: 'fs.read', target: '/w/%2e%2e/etc', allowed: false, why: 'percent-encoded dot segment' },
        { capability: 'fs.read', target: '/w/a%2F..%2F..%2Fetc', allowed: false, why: 'percent-encoded separators: one raw segment, an escape once decoded' },
        { capability: 'fs.read', target: '/w/pub/..%2f..%2fetc', allowed: false, why: 'lower-case encoded separators' },
      ], 'percent-encoded targets');
    },
  }),
  scenario({
    id: '9.2/targets/literal-and-empty-patterns',
    statements: ['S9.2-01', 'S9.3-02'],
    spec: '§9.2, §9.3',
    level: 'MUST',
    title: 'a literal pattern matches only itself (not a prefix, a suffix, a child or another case); an empty pattern list grants nothing (or the submit is refused INVALID_REQUEST)',
    agents: [AGENTS.tools],
    async run(ctx) {
      const s = await ctx.open('A');
      const lease = { 'fs.read': ['/w/a.txt'], 'tool.call': ['search'] };
      await probe(ctx, s, lease, [
        { capability: 'fs.read', target: '/w/a.txt', allowed: true, why: 'the literal itself' },
        { capability: 'fs.read', target: '/w/a.txt.bak', allowed: false, why: 'literal plus a suffix' },
        { capability: 'fs.read', target: '/w/a.txt/x', allowed: false, why: 'a child of the literal' },
        { capability: 'fs.read', target: '/w/aXtxt', allowed: false, why: '`.` is literal, not a wildcard' },
        { capability: 'tool.call', target: 'search', allowed: true, why: 'the literal tool' },
        { capability: 'tool.call', target: 'search2', allowed: false, why: 'a longer tool name' },
        { capability: 'tool.call', target: 'Search', allowed: false, why: 'another case' },
        { capability: 'tool.call', target: 'sear', allowed: false, why: 'a prefix' },
      ], 'literal patterns');
      const empty = await ctx.submitRaw(s, AGENTS.tools, { ops: [{ capability: 'fs.read', target: '/w/a' }] }, { lease_request: { 'fs.read': [] } }, { raw: true });
      if (empty.type !== 'job.accepted') {
        requireErrorCode(empty, ['INVALID_REQUEST'], 'an empty pattern list');
        return;
      }
      const jobId = String(jobIdOf(empty));
      await ctx.terminal(s, jobId);
      requireOpsOnWire(s.conn.messages(), jobId, [{ allowed: false, codes: ['PERMISSION_DENIED'], what: 'fs.read /w/a under fs.read: []' }], 'empty pattern list');
    },
  }),
];
