// The harness against arcp-kit's own runtime: every MUST-level check that can run passes, the run
// exits 0, and nothing errors (an errored check is a harness or runtime crash, never acceptable).
import { describe, expect, it } from 'vitest';
import { runConformance } from '../index.js';
import { certify } from '../report/certification.js';

describe('self-certification: arcp conformance against the built-in runtime', () => {
  for (const profile of ['interop', 'spec'] as const) {
    it(`passes every applicable MUST check (profile ${profile})`, async () => {
      const result = await runConformance({ profile, seed: 20261125, runs: 5, output: 'silent' });
      const bad = result.verdicts.filter((v) => (v.level === 'MUST' && v.outcome === 'fail') || v.outcome === 'errored');
      expect(bad.map((v) => `${v.id}: ${v.message}`)).toEqual([]);
      expect(result.exitCode).toBe(0);
      // the run really exercised the peer: most checks ran and the properties generated cases
      expect(result.verdicts.filter((v) => v.outcome === 'pass').length).toBeGreaterThan(40);
      expect(result.fuzz.cases).toBeGreaterThan(20);
      // the in-process runtime negotiates all 11 flags and is certified for each
      const cert = certify(result.verdicts, result.peer.features);
      expect(cert.core).toBe('certified');
      expect(Object.values(cert.features).every((s) => s === 'certified')).toBe(true);
    });
  }
});
