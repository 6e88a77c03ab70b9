// Invariant (issue 14 item 5): `arcp schema diff` classifies each kind of spec change the way a
// deployed peer experiences it. Each row edits a copy of schema/ once and names the verdict, the
// subject and which peers break; a tree compared with itself has no change at all.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runSchemaDiff } from '../../bin/commands/schema.js';
import { diffProtocols, type SchemaChange } from '../diff/protocol-diff.js';
import { loadProtocolShapes as loadProtocol } from '../load/index.js';
import type { ProtocolModel } from '../model/ir.js';
import { REPO_ROOT, SCHEMA_DIR, copySchema } from './support/temp-output.js';

type Doc = Record<string, any>;
const FIXTURE = join(import.meta.dirname, 'fixtures', 'spec-change');

interface Row {
  change: string;
  edit(e: (rel: string, f: (d: Doc) => void) => void, dir: string): void;
  /** null: no change that breaks a lenient receiver (strict-only breaks may remain). */
  breaking: { subject: string; path?: string; peers: string; strictOnly?: boolean } | null;
}

const ROWS: Row[] = [
  {
    change: 'a new required field a client must send',
    edit: (e) => e('messages/job.submit.json', (d) => {
      d.$defs.JobSubmitPayload.properties.priority = { type: 'integer' };
      d.$defs.JobSubmitPayload.required.push('priority');
      for (const ex of d.examples) ex.payload.priority = 1;
    }),
    breaking: { subject: 'message job.submit', path: '/payload/priority', peers: 'old clients -> new runtimes', strictOnly: false },
  },
  {
    change: 'a removed enum value',
    edit: (e) => e('events/log.json', (d) => { d.properties.level.enum = d.properties.level.enum.filter((v: string) => v !== 'trace'); }),
    breaking: { subject: 'event log', path: '/level', peers: 'old runtimes -> new clients', strictOnly: true },
  },
  {
    change: 'a narrowed type',
    edit: (e) => e('events/progress.json', (d) => { d.properties.units = { const: 'items' }; for (const ex of d.examples) if (ex.units !== undefined) ex.units = 'items'; }),
    breaking: { subject: 'event progress', path: '/units', peers: 'old runtimes -> new clients', strictOnly: false },
  },
  {
    change: 'a widened enum a strict old client refuses',
    edit: (e) => e('events/log.json', (d) => { d.properties.level.enum.push('notice'); }),
    breaking: { subject: 'event log', path: '/level', peers: 'new runtimes -> old clients', strictOnly: true },
  },
  {
    change: 'a loosened bound old runtimes still enforce',
    edit: (e) => e('messages/job.submit.json', (d) => { d.$defs.JobSubmitPayload.properties.max_runtime_sec.maximum = 604800; }),
    // The lenient form has no maximum (x-arcp-accept), so only strict old runtimes refuse.
    breaking: { subject: 'message job.submit', path: '/payload/max_runtime_sec', peers: 'new clients -> old runtimes', strictOnly: true },
  },
  {
    change: 'a new message type a strict peer would reject',
    edit: (_e, dir) => cpSync(join(FIXTURE, 'messages'), join(dir, 'messages'), { recursive: true }),
    breaking: { subject: 'message job.pause', peers: 'new clients -> old runtimes', strictOnly: false },
  },
  {
    change: 'a new event kind (lenient clients ignore it)',
    edit: (_e, dir) => cpSync(join(FIXTURE, 'events'), join(dir, 'events'), { recursive: true }),
    breaking: { subject: 'event heartbeat_note', peers: 'new runtimes -> old clients', strictOnly: true },
  },
  {
    change: 'a removed message type',
    edit: (_e, dir) => {
      rmSync(join(dir, 'messages', 'session.list_jobs.json'));
      rmSync(join(dir, 'counter-examples', 'session.list_jobs.json'), { force: true });
      for (const f of ['features.json']) {
        const p = join(dir, 'protocol', f);
        writeFileSync(p, readFileSync(p, 'utf8').replace(/"session\.list_jobs",?\s*/g, ''));
      }
      const jobs = join(dir, 'messages', 'session.jobs.json');
      writeFileSync(jobs, readFileSync(jobs, 'utf8'));
    },
    breaking: { subject: 'message session.list_jobs', peers: 'old clients -> new runtimes', strictOnly: false },
  },
  {
    change: 'a changed direction',
    edit: (e) => e('messages/job.cancel.json', (d) => { d['x-arcp'].direction = 'both'; }),
    breaking: { subject: 'message job.cancel', peers: 'every peer', strictOnly: false },
  },
  {
    change: 'a new optional field (objects are open, §5)',
    edit: (e) => e('messages/job.submit.json', (d) => { d.$defs.JobSubmitPayload.properties.labels = { type: 'object' }; }),
    breaking: null,
  },
  {
    change: 'a new message behind a new feature flag (never sent to old peers, §6.2)',
    edit: (e, dir) => {
      cpSync(join(FIXTURE, 'messages'), join(dir, 'messages'), { recursive: true });
      e('messages/job.pause.json', (d) => { d['x-arcp'].feature = 'pause'; });
      e('protocol/features.json', (d) => {
        d.features.push({ name: 'pause', spec: '§7.9', gates: 'job.pause', gated: { messages: ['job.pause'], event_kinds: [], payload_fields: [] }, description: 'pausing jobs' });
      });
      e('defs/feature.json', (d) => { if (Array.isArray(d.enum)) d.enum.push('pause'); });
    },
    breaking: null,
  },
  {
    change: 'a description-only edit',
    edit: (e) => e('events/log.json', (d) => { d.description = `${d.description} (reworded)`; }),
    breaking: null,
  },
];

describe('arcp schema diff: a table of spec changes', () => {
  let base: ProtocolModel;
  beforeAll(() => {
    base = loadProtocol(SCHEMA_DIR);
  });

  it('a tree compared with itself has no change', () => {
    expect(diffProtocols(base, loadProtocol(SCHEMA_DIR)).changes).toEqual([]);
  });

  it.each(ROWS.map((r) => [r.change, r] as const))('%s', (_name, row) => {
    const copy = copySchema(SCHEMA_DIR, 'schema-diff');
    try {
      const edit = (rel: string, f: (d: Doc) => void) => {
        const p = join(copy.dir, rel);
        const d = JSON.parse(readFileSync(p, 'utf8'));
        f(d);
        writeFileSync(p, JSON.stringify(d, null, 2));
      };
      row.edit(edit, copy.dir);
      const diff = diffProtocols(base, loadProtocol(copy.dir));
      const breaking = diff.changes.filter((c) => c.breaking);
      const shown = JSON.stringify(diff.changes, null, 1);
      if (row.breaking === null) {
        expect(breaking.filter((c) => !c.strictOnly), shown).toEqual([]);
        return;
      }
      const want = row.breaking;
      const hit = breaking.find((c: SchemaChange) => c.subject === want.subject && (want.path === undefined || c.path === want.path) && c.peers === want.peers);
      expect(hit, shown).toBeDefined();
      if (want.strictOnly !== undefined) expect(hit!.strictOnly, shown).toBe(want.strictOnly);
    } finally {
      copy.cleanup();
    }
  });
});

describe('arcp schema diff: the command', () => {
  let out = '';
  beforeAll(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { out += String(c); return true; });
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => { out += String(c); return true; });
  });
  afterAll(() => vi.restoreAllMocks());

  it('exits 0 for the committed schema against the working tree, read from git', async () => {
    out = '';
    expect(await runSchemaDiff('HEAD', SCHEMA_DIR, { repo: REPO_ROOT })).toBe(0);
    expect(out).toContain('no wire-visible change');
  });

  it('exits 1 and names the change on a breaking edit, 0 with --lenient-peers when only strict peers break', async () => {
    const copy = copySchema(SCHEMA_DIR, 'schema-diff-cli');
    try {
      const p = join(copy.dir, 'events', 'log.json');
      const d = JSON.parse(readFileSync(p, 'utf8'));
      d.properties.level.enum.push('notice');
      writeFileSync(p, JSON.stringify(d));
      out = '';
      expect(await runSchemaDiff(SCHEMA_DIR, copy.dir, {})).toBe(1);
      expect(out).toMatch(/BREAKING\s+event log \/level: value "notice" is rejected by the receiver/);
      out = '';
      expect(await runSchemaDiff(SCHEMA_DIR, copy.dir, { lenientPeers: true })).toBe(0);
      out = '';
      expect(await runSchemaDiff(SCHEMA_DIR, copy.dir, { json: true })).toBe(1);
      expect(JSON.parse(out).breaking).toBeGreaterThan(0);
    } finally {
      copy.cleanup();
    }
  });

  it('exits 2 for an operand that is neither a directory nor a revision', async () => {
    out = '';
    expect(await runSchemaDiff('no-such-rev-or-dir', SCHEMA_DIR, { repo: REPO_ROOT })).toBe(2);
    expect(out).toMatch(/neither a directory nor a git revision/);
  });
});
