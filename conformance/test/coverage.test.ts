// Traceability from the generated registry: every feature flag of the spec has a MUST check gated
// by it (so "certified" means something for each badge), every check id is unique and anchored to
// a section, and every client message type is reachable by the schema fuzzer.
import { describe, expect, it } from 'vitest';
import { FEATURES, MESSAGES } from '../../generated/registry.js';
import { fuzzableTypes } from '../arbitraries/messages.js';
import { ALL_CHECKS } from '../checks/index.js';
import { listMarkdown } from '../report/list.js';

describe('check registry coverage', () => {
  it('ids are unique, section-anchored and cite the spec', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of ALL_CHECKS) {
      expect(c.id).toMatch(/^[0-9][0-9.]*(\/[a-z0-9.-]+)+$/);
      expect(c.spec).toMatch(/§/);
      expect(c.title.length).toBeGreaterThan(10);
    }
  });
  it('every feature flag gates at least one MUST check', () => {
    for (const f of FEATURES) {
      expect(ALL_CHECKS.some((c) => c.feature === f && c.level === 'MUST'), `no MUST check gated by ${f}`).toBe(true);
    }
  });
  it('the Markdown matrix has one row per check under its section', () => {
    const md = listMarkdown(ALL_CHECKS);
    expect(md.split('\n').filter((l) => l.startsWith('| `')).length).toBe(ALL_CHECKS.length);
    expect(md).toContain('### §8.3');
  });
  it('interop checks name the catalog position they take', () => {
    for (const c of ALL_CHECKS.filter((x) => x.level === 'interop')) expect(c.title, c.id).toMatch(/catalog/);
  });
  it('the fuzzer reaches every client-to-runtime message type except session lifecycle', () => {
    const types = fuzzableTypes();
    // a type added to schema/ joins this list by itself; these must always be there
    expect(types).toEqual(expect.arrayContaining(['job.cancel', 'job.submit', 'job.subscribe', 'job.unsubscribe', 'session.ack', 'session.list_jobs', 'session.ping', 'session.pong']));
    for (const t of types) expect(MESSAGES[t as keyof typeof MESSAGES].direction).not.toBe('runtime_to_client');
    for (const t of ['session.hello', 'session.resume', 'session.close', 'session.bye']) expect(types).not.toContain(t);
  });
});
