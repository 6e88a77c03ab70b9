import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MESSAGE_SCHEMA_POINTERS, SCHEMA_BUNDLE } from '../../../generated/schemas.js';
import type { ArcpMessage, MessageType } from '../../../generated/types.js';
import { InvalidRequestError } from '../../errors/classes.js';
import { isKitError } from '../../errors/kit-error.js';
import { decodeFrame, encodeMessage, type Decoded } from '../codec.js';

const COUNTER_EXAMPLES = fileURLToPath(new URL('../../../schema/counter-examples/', import.meta.url));

function examplesOf(type: MessageType): unknown[] {
  let node: unknown = SCHEMA_BUNDLE;
  for (const seg of MESSAGE_SCHEMA_POINTERS[type].replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[seg];
  return ((node as { examples?: unknown[] }).examples ?? []) as unknown[];
}

function rejected(d: Decoded): Extract<Decoded, { ok: false }> {
  expect(d.ok).toBe(false);
  if (d.ok !== false) throw new Error('expected a rejection');
  expect(d.error).toBeInstanceOf(InvalidRequestError);
  expect(d.error.code).toBe('INVALID_REQUEST');
  return d;
}

const submit = {
  arcp: '1.1',
  id: 'msg_01JDXKC0D1E2F3G4H5J6K7M017',
  type: 'job.submit',
  session_id: 'sess_01JDXK5V6R8Q2W3E4T5Y6Z7A8B',
  payload: { agent: 'echo', input: { text: 'hi' } },
};

describe('decodeFrame: each bad-input class is INVALID_REQUEST naming the field', () => {
  it('malformed JSON', () => {
    const d = rejected(decodeFrame('{"arcp":"1.1","id":'));
    expect(d.error.message).toMatch(/^malformed JSON/);
    expect(d.partial).toEqual({});
  });

  it.each(['[1,2]', '"text"', 'null', '42', 'true'])('non-object %s', (frame) => {
    const d = rejected(decodeFrame(frame));
    expect(d.error.message).toMatch(/must be a JSON object/);
    expect(d.error.details).toMatchObject({ field: '' });
  });

  it('missing type, with partial ids extracted', () => {
    const { type: _omit, ...noType } = submit;
    const d = rejected(decodeFrame(JSON.stringify({ ...noType, job_id: 'job_1' })));
    expect(d.error.message).toContain('/type');
    expect(d.error.details).toMatchObject({ field: '/type' });
    expect(d.partial).toEqual({ id: submit.id, session_id: submit.session_id, job_id: 'job_1' });
  });

  it('non-string type', () => {
    const d = rejected(decodeFrame(JSON.stringify({ ...submit, type: 7 })));
    expect(d.error.details).toMatchObject({ field: '/type' });
  });

  it('unknown type (catalog §2.17), partial keeps the type', () => {
    const d = rejected(decodeFrame(JSON.stringify({ ...submit, type: 'job.frobnicate' })));
    expect(d.error.message).toContain("unknown message type 'job.frobnicate'");
    expect(d.partial.type).toBe('job.frobnicate');
  });

  it('schema violation names the JSON pointer of the field', () => {
    const d = rejected(decodeFrame(JSON.stringify({ ...submit, payload: { agent: 42 } })));
    expect(d.error.details).toMatchObject({ field: '/payload/agent' });
    expect(d.error.message).toContain('/payload/agent');
    expect(d.error.message).toContain('job.submit');
    expect(d.partial).toEqual({ id: submit.id, type: 'job.submit', session_id: submit.session_id });
  });

  it('wrong protocol version and bad trace_id name their envelope field', () => {
    expect(rejected(decodeFrame(JSON.stringify({ ...submit, arcp: '1.0' }))).error.details).toMatchObject({ field: '/arcp' });
    expect(rejected(decodeFrame(JSON.stringify({ ...submit, trace_id: 'XYZ' }))).error.details).toMatchObject({
      field: '/trace_id',
    });
  });

  it('an invalid event body is reported under /payload/body', () => {
    const event = examplesOf('job.event')[0] as { payload: Record<string, unknown> };
    const bad = { ...event, payload: { ...event.payload, kind: 'log', body: { level: 'info' } } };
    const d = rejected(decodeFrame(JSON.stringify(bad)));
    expect(String((d.error.details as { field: string }).field)).toMatch(/^\/payload\/body\//);
  });

  const files = readdirSync(COUNTER_EXAMPLES).filter((f) => /^(session|job)\./.test(f));
  const cases = files.flatMap((f) =>
    (JSON.parse(readFileSync(COUNTER_EXAMPLES + f, 'utf8')) as Array<{ why: string; field: string; value: unknown }>).map(
      (c) => [f.replace(/\.json$/, ''), c.why, c.field, c.value] as const,
    ),
  );
  it('covers the schema counter-examples', () => expect(cases.length).toBeGreaterThan(20));
  it.each(cases)('%s counter-example "%s" is rejected naming %s', (_type, _why, field, value) => {
    const d = rejected(decodeFrame(JSON.stringify(value)));
    expect(d.error.details).toMatchObject({ field });
    expect(d.error.message).toContain(field);
  });
});

describe('decodeFrame: vendor message types (catalog §2.17)', () => {
  const vendor = { arcp: '1.1', id: 'msg_1', type: 'x-vendor.acme.thing', session_id: 'sess_1', payload: {} };

  it('extensions.optional === true -> ignore', () => {
    const d = decodeFrame(JSON.stringify({ ...vendor, extensions: { optional: true } }));
    expect(d).toEqual({ ok: 'ignore', reason: expect.stringContaining('x-vendor.acme.thing') });
  });

  it('without optional -> INVALID_REQUEST', () => {
    for (const ext of [undefined, { optional: false }, { optional: 'true' }]) {
      const d = rejected(decodeFrame(JSON.stringify({ ...vendor, extensions: ext })));
      expect(d.error.details).toMatchObject({ field: '/type' });
      expect(d.partial.type).toBe('x-vendor.acme.thing');
    }
  });

  it('a malformed vendor name is INVALID_REQUEST even when optional', () => {
    for (const type of ['x-vendor.', 'x-vendor.acme', 'x-vendor.Acme.thing']) {
      rejected(decodeFrame(JSON.stringify({ ...vendor, type, extensions: { optional: true } })));
    }
  });
});

describe('round trips and lenient acceptance', () => {
  const types = Object.keys(MESSAGE_SCHEMA_POINTERS) as MessageType[];
  const strictExamples = types
    .filter((t) => t !== 'session.bye')
    .flatMap((t) => examplesOf(t).map((e, i) => [t, i, e] as const));

  it.each(strictExamples)('%s example %i: encode (strict) then decode gives the same message', (_t, _i, example) => {
    const frame = encodeMessage(example as ArcpMessage);
    const d = decodeFrame(frame);
    expect(d).toEqual({ ok: true, message: example });
  });

  it('unknown top-level and payload keys are accepted (spec §5, catalog §10 #7)', () => {
    const d = decodeFrame(JSON.stringify({ ...submit, future_field: 1, payload: { ...submit.payload, extra: true } }));
    expect(d.ok).toBe(true);
  });

  it('a full traceparent in trace_id is accepted and reduced to its trace-id (§11)', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const d = decodeFrame(JSON.stringify({ ...submit, trace_id: traceparent }));
    expect(d.ok).toBe(true);
    if (d.ok !== true) return;
    expect(d.message.trace_id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    // ... so echoing it passes strict encoding.
    expect(() => encodeMessage(d.message)).not.toThrow();
  });

  it('legacy session.bye is accepted but never encoded', () => {
    const bye = examplesOf('session.bye')[0] as ArcpMessage;
    expect(decodeFrame(JSON.stringify(bye)).ok).toBe(true);
    let caught: unknown;
    try {
      encodeMessage(bye);
    } catch (err) {
      caught = err;
    }
    expect(isKitError(caught, 'ARCP_KIT_ENCODE_INVALID')).toBe(true);
    expect((caught as Error).message).toContain('session.bye');
  });

  it('strict encode rejects an alias key that lenient decode accepts (metric dims)', () => {
    const event = examplesOf('job.event')[0] as { payload: Record<string, unknown> };
    const metric = {
      ...event,
      payload: { ...event.payload, kind: 'metric', body: { name: 'tokens.output', value: 3, dims: { model: 'm' } } },
    } as unknown as ArcpMessage;
    expect(decodeFrame(JSON.stringify(metric)).ok).toBe(true);
    let caught: unknown;
    try {
      encodeMessage(metric);
    } catch (err) {
      caught = err;
    }
    expect(isKitError(caught, 'ARCP_KIT_ENCODE_INVALID')).toBe(true);
    expect((caught as { details: { field: string } }).details.field).toBe('/payload/body/dims');
    // The hot path may skip validation explicitly.
    expect(JSON.parse(encodeMessage(metric, { validate: false }))).toEqual(metric);
  });
});
