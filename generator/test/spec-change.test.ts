// Invariant: a spec change is schema-only work: adding a message type and an event kind to a copy
// of schema/ and regenerating yields their types, validators, registry entries and docs, with no hand-written code touched.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_DIR, SCHEMA_DIR, copySchema, generateToTemp, type TempGeneration } from './support/temp-output.js';
import { diagnostics } from './support/typecheck.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'spec-change');
const PAUSE = JSON.parse(readFileSync(join(FIXTURE, 'messages', 'job.pause.json'), 'utf8')).examples[0];

interface Api {
  validateMessage(mode: string, v: unknown): { ok: boolean | string; issues?: { path: string }[] };
  validateEventBody(mode: string, kind: string, v: unknown): { ok: boolean | string; issues?: { path: string }[] };
  isKnownMessageType(t: string): boolean;
}

describe('spec change: new message job.pause and event kind heartbeat_note', () => {
  let schema: { dir: string; cleanup(): void };
  let gen: TempGeneration;
  let api: Api;
  let registry: { MESSAGES: Record<string, { direction: string; replies: string[] }>; EVENT_KINDS: Record<string, unknown>; MESSAGE_TYPES: string[] };
  const committedBefore = readFileSync(join(GENERATED_DIR, 'registry.ts'), 'utf8');

  beforeAll(async () => {
    schema = copySchema(SCHEMA_DIR, 'spec-change');
    // The one-file recipe (schema/README.md): the two new files and nothing else; the EventKind
    // enum, the job.event dispatch and `answers` are derived from the files present.
    cpSync(FIXTURE, schema.dir, { recursive: true });
    gen = await generateToTemp(schema.dir, 'spec-change-out');
    api = await import(`${gen.out}/validators.ts`);
    registry = await import(`${gen.out}/registry.ts`);
  }, 180_000); // a full generation plus importing its output; minutes on a loaded 2-core machine
  afterAll(() => {
    gen?.cleanup();
    schema?.cleanup();
  });

  const file = (root: 'generated' | 'docs', path: string) => gen.files.find((f) => f.root === root && f.path === path)!.contents;

  it('types.ts declares the message, its payload and the body, and widens the unions', () => {
    const types = file('generated', 'types.ts');
    expect(types).toMatch(/export interface JobPause \{/);
    expect(types).toMatch(/export interface JobPausePayload \{\s+\/\*\*\s+\* How long to pause\.\s+\*\/\s+pause_sec: number;/);
    expect(types).toMatch(/export interface HeartbeatNoteBody \{/);
    expect(types).toMatch(/export type MessageType =[^;]*'job\.pause'/);
    expect(types).toMatch(/export type ArcpMessage =[^;]*JobPause\b/);
    expect(types).toMatch(/export type EventKind =[^;]*'heartbeat_note'/);
    // ctx.emit('heartbeat_note', body) and the client's event union are typed through this map.
    expect(types).toMatch(/export interface EventBodies \{[^}]*\n  heartbeat_note: HeartbeatNoteBody;/);
  });

  it('validators accept the new message and reject a bad one at the field', () => {
    expect(api.isKnownMessageType('job.pause')).toBe(true);
    expect(api.validateMessage('strict', PAUSE).ok).toBe(true);
    expect(api.validateMessage('lenient', PAUSE).ok).toBe(true);
    const bad = api.validateMessage('strict', { ...PAUSE, payload: { pause_sec: 0 } });
    expect(bad.ok).toBe(false);
    expect(bad.issues!.map((i) => i.path)).toContain('/payload/pause_sec');
  });

  it('validators check the new event body, alone and inside job.event', () => {
    expect(api.validateEventBody('strict', 'heartbeat_note', { note: 'alive' }).ok).toBe(true);
    const bad = api.validateEventBody('strict', 'heartbeat_note', { note: '' });
    expect(bad.ok).toBe(false);
    expect(bad.issues!.map((i) => i.path)).toContain('/note');
    const frame = {
      arcp: '1.1', id: 'msg_01JDXKC0D1E2F3G4H5J6K7M0P2', type: 'job.event', session_id: PAUSE.session_id,
      job_id: PAUSE.job_id, event_seq: 1, payload: { kind: 'heartbeat_note', ts: '2026-05-13T10:00:00Z', body: { note: 'alive' } },
    };
    expect(api.validateMessage('strict', frame).ok).toBe(true);
    const badFrame = api.validateMessage('strict', { ...frame, payload: { ...frame.payload, body: {} } });
    expect(badFrame.ok).toBe(false);
    expect(badFrame.issues!.map((i) => i.path)).toContain('/payload/body/note');
  });

  it('the registry has both entries', () => {
    expect(registry.MESSAGES['job.pause']).toMatchObject({ direction: 'client_to_runtime', replies: ['job.error'] });
    expect(registry.MESSAGE_TYPES).toContain('job.pause');
    expect(registry.EVENT_KINDS.heartbeat_note).toEqual({ kind: 'heartbeat_note', spec: '§8.2', feature: null });
  });

  it('the docs describe both', () => {
    expect(file('docs', 'messages.md')).toMatch(/^## job\.pause$/m);
    expect(file('docs', 'messages.md')).toContain('| `/payload/pause_sec` | integer >= 1 | yes | How long to pause. |');
    expect(file('docs', 'events.md')).toMatch(/^## heartbeat_note$/m);
  });

  it('the regenerated TypeScript still type-checks strictly', () => {
    expect(diagnostics(join(gen.out, 'index.ts'))).toEqual([]);
  });

  it('touched nothing outside the temp directories', () => {
    expect(readFileSync(join(GENERATED_DIR, 'registry.ts'), 'utf8')).toBe(committedBefore);
    expect(committedBefore).not.toContain('job.pause');
  });
});
