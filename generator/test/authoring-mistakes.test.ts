// Invariant (issue 14 item 2): the mistakes a spec author makes when adding a message and an event
// kind all stop `arcp generate --check` (exit 2) with a message naming the file, the JSON pointer
// and the fix. Each case starts from schema/ plus the spec-change fixture (job.pause,
// heartbeat_note), which generates cleanly, and makes exactly one mistake.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runGenerate } from '../../bin/commands/generate.js';
import { SCHEMA_DIR, copySchema, tempDir } from './support/temp-output.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'spec-change');
type Doc = Record<string, any>;

interface Mistake {
  name: string;
  file: string;
  apply(edit: (rel: string, change: (d: Doc) => void) => void): void;
  /** What the message must name: file, pointer, and a word of the fix. */
  expect: { file: string; pointer: string; fix: RegExp };
}

const MISTAKES: Mistake[] = [
  {
    name: 'a hand-written job.event dispatch that misses the new kind',
    file: 'messages/job.event.json',
    apply: (edit) => edit('messages/job.event.json', (d) => {
      d.$defs.JobEventPayload.allOf = [{ if: { properties: { kind: { const: 'log' } } }, then: { properties: { body: { $ref: '../events/log.json' } } } }];
    }),
    expect: { file: 'schema/messages/job.event.json', pointer: '/$defs/JobEventPayload', fix: /heartbeat_note|derived from events/ },
  },
  {
    name: 'an event kind without counter-examples',
    file: 'events/heartbeat_note.json',
    apply: (edit) => edit('events/heartbeat_note.json', (d) => { delete d['x-arcp-counter-examples']; }),
    expect: { file: 'events/heartbeat_note.json', pointer: '/x-arcp-counter-examples', fix: /counter-examples/ },
  },
  {
    name: 'a one-sided replies/answers pair',
    file: 'messages/job.pause.json',
    apply: (edit) => edit('messages/job.pause.json', (d) => { d['x-arcp'].answers = ['job.submit']; }),
    expect: { file: 'messages/job.pause.json', pointer: '/x-arcp/answers', fix: /derived from every message's replies/ },
  },
  {
    name: 'a reply type that no schema defines',
    file: 'messages/job.pause.json',
    apply: (edit) => edit('messages/job.pause.json', (d) => { d['x-arcp'].replies = ['job.paused']; }),
    expect: { file: 'messages/job.pause.json', pointer: '/x-arcp/replies', fix: /job\.paused/ },
  },
  {
    name: 'an example that its own schema rejects',
    file: 'events/heartbeat_note.json',
    apply: (edit) => edit('events/heartbeat_note.json', (d) => { d.examples = [{ note: '' }]; }),
    expect: { file: 'events/heartbeat_note.json', pointer: '/examples/0', fix: /correct the example/ },
  },
  {
    name: 'a counter-example the schema accepts',
    file: 'messages/job.pause.json',
    apply: (edit) => edit('messages/job.pause.json', (d) => { d['x-arcp-counter-examples'][0].value.payload = { pause_sec: 5 }; }),
    expect: { file: 'job.pause.json', pointer: '/0', fix: /make the value invalid/ },
  },
  {
    name: 'a sequenced message that forbids event_seq',
    file: 'messages/job.pause.json',
    apply: (edit) => edit('messages/job.pause.json', (d) => { d['x-arcp'].sequenced = true; d.properties.event_seq = false; }),
    expect: { file: 'messages/job.pause.json', pointer: '/properties/event_seq', fix: /EventSeq/ },
  },
  {
    name: 'a file named after a different wire type',
    file: 'messages/job.pause.json',
    apply: (edit) => edit('messages/job.pause.json', (d) => { d.properties.type.const = 'job.halt'; }),
    expect: { file: 'messages/job.pause.json', pointer: '/properties/type', fix: /job\.pause|rename/ },
  },
  {
    name: 'a lenient-only mark with no documented variant',
    file: 'events/heartbeat_note.json',
    apply: (edit) => edit('events/heartbeat_note.json', (d) => { d.properties.note['x-arcp-accept'] = { minLength: 0 }; }),
    expect: { file: 'events/heartbeat_note.json', pointer: '/x-arcp-accept', fix: /x-arcp-variants/ },
  },
];

describe('spec-author mistakes fail `arcp generate --check`', () => {
  let schema: { dir: string; cleanup(): void };
  let stderr: string;
  beforeEach(() => {
    schema = copySchema(SCHEMA_DIR, 'mistakes');
    cpSync(FIXTURE, schema.dir, { recursive: true });
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    schema.cleanup();
  });
  const edit = (rel: string, change: (d: Doc) => void) => {
    const path = join(schema.dir, rel);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    change(doc);
    writeFileSync(path, JSON.stringify(doc, null, 2));
  };
  const check = () => {
    const out = tempDir('mistakes-out');
    return runGenerate({ schema: schema.dir, out: join(out, 'generated'), docs: join(out, 'docs'), check: true, quiet: true });
  };

  it('the fixture without mistakes passes the authoring rules (only stale output, exit 1)', async () => {
    expect(await check()).toBe(1);
    expect(stderr).not.toMatch(/schema problems/);
  }, 60_000);

  it.each(MISTAKES.map((m) => [m.name, m] as const))('%s', async (_name, mistake) => {
    mistake.apply(edit);
    expect(await check()).toBe(2);
    expect(stderr).toMatch(/schema problems/);
    const lines = stderr.split('\n');
    const at = lines.findIndex((l) => l.includes(mistake.expect.file));
    expect(at, stderr).toBeGreaterThanOrEqual(0);
    const block = lines.slice(at, at + 4).join('\n');
    expect(block, stderr).toContain(mistake.expect.pointer);
    expect(block, stderr).toMatch(mistake.expect.fix);
  }, 60_000);
});
