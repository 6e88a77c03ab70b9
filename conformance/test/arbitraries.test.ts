// Schema-derived arbitraries: every client message type yields strictly valid messages, and every
// mutation the fuzzer keeps is invalid under the lenient schema (else the fuzz verdicts lie).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMessage } from '../../generated/validators.js';
import { fuzzableTypes, invalidMessageArb, validMessageArb } from '../arbitraries/messages.js';

describe('schema arbitraries', () => {
  it('cover the client-to-runtime types and generate strictly valid messages', () => {
    const types = fuzzableTypes();
    expect(types).toContain('job.submit');
    expect(types).not.toContain('session.hello');
    expect(types).not.toContain('job.accepted');
    for (const t of types) {
      const samples = fc.sample(validMessageArb(t, 'sess_01JDXK5V6R8Q2W3E4T5Y6Z7A8B'), { numRuns: 5, seed: 1 });
      for (const m of samples) expect(validateMessage('strict', m).ok, `${t}: ${JSON.stringify(m)}`).toBe(true);
    }
  });
  it('mutations are invalid under the lenient schema', () => {
    const samples = fc.sample(invalidMessageArb('sess_01JDXK5V6R8Q2W3E4T5Y6Z7A8B'), { numRuns: 30, seed: 7 });
    expect(samples.length).toBe(30);
    for (const c of samples) expect(validateMessage('lenient', c.frame).ok).toBe(false);
  });
});
