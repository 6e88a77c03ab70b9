// Invariant: a schema that breaks an authoring rule stops generation with a SchemaLoadError that
// names the offending file and the rule, instead of producing wrong output or crashing later.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProtocol, SchemaLoadError } from '../load/index.js';
import { MINI_FIXTURE, copySchema } from './support/temp-output.js';

describe('schema authoring rules', () => {
  let schema: { dir: string; cleanup(): void };
  beforeEach(() => {
    schema = copySchema(MINI_FIXTURE, 'load-errors');
  });
  afterEach(() => schema.cleanup());

  const edit = (rel: string, change: (doc: Record<string, any>) => void) => {
    const path = join(schema.dir, rel);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    change(doc);
    writeFileSync(path, JSON.stringify(doc));
  };
  const problems = () => {
    try {
      loadProtocol(schema.dir);
    } catch (err) {
      expect(err).toBeInstanceOf(SchemaLoadError);
      return (err as SchemaLoadError).problems.map((p) => `${p.file}: ${p.message}`);
    }
    return [];
  };
  const pointers = () => {
    try {
      loadProtocol(schema.dir);
    } catch (err) {
      return (err as SchemaLoadError).problems.map((p) => p.pointer);
    }
    return [];
  };

  it('the unmodified fixture loads', () => {
    expect(problems()).toEqual([]);
  });

  it('file name must equal the wire type', () => {
    renameSync(join(schema.dir, 'messages/session.welcome.json'), join(schema.dir, 'messages/session.hi.json'));
    expect(problems().join('\n')).toMatch(/schema\/messages\/session\.hi\.json: "\$id" must be .*session\.hi\.json/);
    expect(problems().join('\n')).toMatch(/session\.hi\.json: properties\.type must be \{ "const": "session\.hi" \}/);
  });

  it('title, x-arcp facts and examples are required', () => {
    edit('messages/session.hello.json', (d) => {
      d.title = 'Hello';
      d['x-arcp'].direction = 'sideways';
      delete d['x-arcp'].sequenced;
      d.examples = [];
    });
    const found = problems().filter((p) => p.startsWith('schema/messages/session.hello.json'));
    expect(found.join('\n')).toContain('"title" must be "SessionHello"');
    expect(found.join('\n')).toContain('x-arcp.direction must be');
    expect(found.join('\n')).toContain('x-arcp.sequenced must be true or false');
    expect(found.join('\n')).toContain('needs at least one entry in "examples"');
  });

  it('dangling $refs and unknown reply types are named', () => {
    edit('messages/session.error.json', (d) => {
      d.properties.payload.$ref = '../defs/nope.json';
      d['x-arcp'].answers = ['session.nope'];
    });
    const text = problems().join('\n');
    expect(text).toContain('schema/messages/session.error.json: $ref "../defs/nope.json" names no schema file');
    expect(pointers()).toContain('/properties/payload/$ref');
    expect(text).toContain('x-arcp names unknown message type "session.nope"');
  });

  it('an enum def that disagrees with the derived set is named', () => {
    writeFileSync(join(schema.dir, 'defs/event-kind.json'), JSON.stringify({
      $id: 'https://arcp-kit.dev/schema/defs/event-kind.json', title: 'EventKind', enum: ['log'],
    }));
    expect(problems().join('\n')).toContain('schema/defs/event-kind.json: enum of EventKind must list exactly ["log","metric"]');
  });

  it('a state machine with a bad transition is named', () => {
    edit('protocol/job-machine.json', (d) => d.transitions.push({ from: 'pending', event: 'job.accepted', to: 'error', trigger: 'x' }));
    expect(problems().join('\n')).toContain('schema/protocol/job-machine.json: pending --job.accepted--> goes to both "running" and "error"');
  });

  it('the protocol version must be a const on the envelope (never assumed)', () => {
    edit('defs/envelope.json', (d) => {
      d.properties.arcp = { type: 'string' };
    });
    expect(problems().join('\n')).toContain('schema/defs/envelope.json: properties.arcp must be (or $ref) { "const": "<protocol version>" }');
  });

  it('unparsable JSON is named', () => {
    writeFileSync(join(schema.dir, 'events/log.json'), '{ nope');
    expect(problems().join('\n')).toMatch(/schema\/events\/log\.json: is not valid JSON/);
  });
});
