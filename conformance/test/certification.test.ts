// Certification never rests on what was not tested: failures fail an area, MUST checks skipped for
// a missing need make it partial, profile-only skips do not count, flags are never above core.
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../checks/types.js';
import { badge, certify } from '../report/certification.js';

function v(id: string, outcome: Verdict['outcome'], feature?: string, message?: string): Verdict {
  return { id, spec: '§x', level: 'MUST', kind: 'scenario', title: 't', outcome, durationMs: 1, feature, message };
}

describe('certify', () => {
  it('certifies core and a flag when everything ran and passed', () => {
    const c = certify(
      [
        v('7.1/a', 'pass'),
        v('8.4/b', 'pass', 'result_chunk'),
        v('6.7/c', 'skipped', undefined, 'runs under --profile spec only'),
      ],
      ['result_chunk'],
    );
    expect(c.core).toBe('certified');
    expect(c.features.result_chunk).toBe('certified');
    expect(c.features.heartbeat).toBe('not-negotiated');
  });
  it('a skipped MUST check for a missing agent makes the area partial', () => {
    const c = certify([v('7.1/a', 'pass'), v('9.2/b', 'skipped', undefined, 'peer does not host conformance.tools'), v('8.4/b', 'pass', 'result_chunk')], ['result_chunk']);
    expect(c.core).toBe('partial');
    expect(c.features.result_chunk).toBe('partial');
    expect(badge('ARCP core', c.core)).toEqual({ schemaVersion: 1, label: 'ARCP core', message: 'partial', color: 'orange' });
  });
  it('a MUST check skipped for a setting the peer runs with (a long resume window) makes core partial', () => {
    const c = certify([v('7.1/a', 'pass'), v('6.3/w', 'skipped', undefined, 'resume_window_sec 600 s is too long for this check; run the peer with <= 5 s')], []);
    expect(c.core).toBe('partial');
  });
  it('an --only selection certifies nothing in full', () => {
    const c = certify([v('7.1/a', 'pass'), v('8.4/b', 'pass', 'result_chunk')], ['result_chunk'], { selection: true });
    expect(c.core).toBe('partial');
    expect(c.features.result_chunk).toBe('partial');
  });
  it('a failure anywhere in core fails every flag; a flag with nothing run is untested', () => {
    const c = certify([v('7.1/a', 'fail'), v('8.4/b', 'pass', 'result_chunk'), v('9.6/b', 'not-applicable', 'cost.budget')], ['result_chunk', 'cost.budget']);
    expect(c.core).toBe('failing');
    expect(c.features.result_chunk).toBe('failing');
    expect(certify([v('7.1/a', 'pass')], ['ack']).features.ack).toBe('untested');
  });
});
