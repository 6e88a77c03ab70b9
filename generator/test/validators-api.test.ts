// Invariant: the generated validators API behaves as contracts.md §2 says for inputs the corpus
// does not cover: non-objects, unknown and vendor types, legacy types, per-message entry points.
import { describe, expect, it } from 'vitest';
import {
  isJobSubmit, isKnownMessageType, validateEnvelope, validateEventBody, validateJobSubmit, validateMessage,
} from '../../generated/validators.js';
import { MESSAGE_TYPES, MESSAGES } from '../../generated/registry.js';
import { loadProtocol } from '../load/index.js';
import { SCHEMA_DIR } from './support/temp-output.js';

const { model } = loadProtocol(SCHEMA_DIR);
const exampleOf = (type: string) => structuredClone(model.messages.find((m) => m.type === type)!.examples[0]) as Record<string, unknown>;

describe('generated validators API', () => {
  it('rejects non-objects and frames without a string type at the right path', () => {
    for (const value of [null, 42, 'x', [], true]) {
      const r = validateMessage('lenient', value);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0].path).toBe('');
    }
    const r = validateMessage('strict', { arcp: '1.1', id: 'x', payload: {} });
    expect(r).toEqual({ ok: false, issues: [{ path: '/type', keyword: 'required', message: 'must have string property type' }] });
  });

  it('reports unknown and vendor types as unknown, and knows every registry type', () => {
    expect(validateMessage('lenient', { ...exampleOf('job.submit'), type: 'x-vendor.acme.thing' })).toMatchObject({
      ok: false, issues: [{ path: '/type', keyword: 'enum' }],
    });
    expect(isKnownMessageType('x-vendor.acme.thing')).toBe(false);
    expect(MESSAGE_TYPES.length).toBe(model.messages.length);
    for (const type of MESSAGE_TYPES) expect(isKnownMessageType(type), type).toBe(true);
  });

  it('legacy types: lenient accepts, strict rejects with the reason first', () => {
    const legacy = MESSAGE_TYPES.filter((t) => MESSAGES[t].legacy);
    expect(legacy.length).toBeGreaterThan(0);
    for (const type of legacy) {
      const example = exampleOf(type);
      expect(validateMessage('lenient', example).ok, type).toBe(true);
      const strict = validateMessage('strict', example);
      expect(strict.ok).toBe(false);
      if (!strict.ok) expect(strict.issues[0]).toMatchObject({ path: '/type', keyword: 'x-arcp-legacy' });
    }
  });

  it('per-message entry points check the type and narrow it', () => {
    const submit = exampleOf('job.submit');
    const ok = validateJobSubmit('strict', submit);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.message.payload.agent).toBe((submit.payload as { agent: string }).agent);
    expect(validateJobSubmit('strict', exampleOf('session.hello'))).toMatchObject({ ok: false, issues: [{ path: '/type', keyword: 'const' }] });
    expect(isJobSubmit(submit)).toBe(true);
    expect(isJobSubmit({ ...submit, payload: {} })).toBe(false);
  });

  it('a missing required payload key is reported at the key itself', () => {
    const submit = exampleOf('job.submit');
    delete (submit.payload as Record<string, unknown>).agent;
    const r = validateMessage('strict', submit);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toContainEqual(expect.objectContaining({ path: '/payload/agent', keyword: 'required' }));
  });

  it('validateEnvelope checks only the envelope; validateEventBody flags unknown kinds', () => {
    const envelopeOnly = { ...exampleOf('job.submit'), type: 'x-vendor.acme.thing', payload: { anything: 1 } };
    expect(validateEnvelope('lenient', envelopeOnly).ok).toBe(true);
    expect(validateEnvelope('strict', { ...envelopeOnly, arcp: '1.0' })).toMatchObject({ ok: false, issues: [{ path: '/arcp' }] });
    expect(validateEventBody('lenient', 'x-vendor.acme.span', {})).toEqual({ ok: 'unknown-kind' });
    expect(validateEventBody('strict', 'log', { level: 'info', message: 'hi' })).toEqual({ ok: true });
  });
});
