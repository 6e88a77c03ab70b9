// Declared limits (§14, driver/peer-limits.ts): `--peer-limits` parses strictly (a bad entry is a
// usage error, never a guess), a target that declares nothing gets the three limit checks skipped
// with the entry to add (never failed), and a declaration given on the command line is what the
// checks probe: a declared cap the runtime does not have makes the check warn.
import { describe, expect, it } from 'vitest';
import { inProcessTarget } from '../driver/in-process.js';
import { formatPeerLimits, parsePeerLimits } from '../driver/peer-limits.js';
import { runConformance } from '../index.js';

const LIMIT_CHECKS = '14/results/caps-enforced,14/sessions/per-principal-cap,14/sessions/zero-throughput-disconnect';

describe('--peer-limits', () => {
  it('parses every known entry and formats it back', () => {
    const text = 'result_chunk_bytes=65536,result_bytes=196608,sessions_per_principal=64,idle_disconnect_sec=8';
    const limits = parsePeerLimits(text);
    expect(limits).toEqual({ resultChunkBytes: 65536, resultTotalBytes: 196608, sessionsPerPrincipal: 64, zeroThroughputSec: 8 });
    expect(formatPeerLimits(limits)).toBe(text);
  });

  it('refuses unknown names, missing values and values that are not positive integers', () => {
    expect(() => parsePeerLimits('max_chunk=5')).toThrow(/unknown limit "max_chunk"/);
    expect(() => parsePeerLimits('result_bytes')).toThrow(/positive integer/);
    expect(() => parsePeerLimits('result_bytes=0')).toThrow(/positive integer/);
    expect(() => parsePeerLimits('result_bytes=1.5')).toThrow(/positive integer/);
    expect(() => parsePeerLimits('result_bytes=1e999')).toThrow(/positive integer/);
    // a long hostile name is cut in the message
    expect(() => parsePeerLimits(`${'x'.repeat(100_000)}=1`)).toThrow(/^.{0,200}$/);
  });

  it('without a declaration the limit checks are skipped, saying what to declare', async () => {
    const peer = { ...(await inProcessTarget()), limits: undefined };
    const r = await runConformance({ peer, only: LIMIT_CHECKS, seed: 1, output: 'silent' });
    expect(r.verdicts.map((v) => v.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
    for (const v of r.verdicts) expect(v.message).toMatch(/--peer-limits [a-z_]+=N/);
    expect(r.coverage.untested).toEqual(expect.arrayContaining(['S14-10', 'S14-12']));
  });

  it('a declared cap the runtime does not enforce makes the check warn (SHOULD), not pass', async () => {
    // the in-process runtime delivers a 64 KiB chunk; declaring a 32 KiB cap must be caught
    const r = await runConformance({ only: '14/results/caps-enforced', peerLimits: 'result_chunk_bytes=32768', seed: 1, output: 'silent' });
    expect(r.verdicts[0]).toMatchObject({ outcome: 'warn', level: 'SHOULD' });
    expect(r.verdicts[0].message).toMatch(/32769 bytes .* delivered whole/);
    expect(r.exitCode).toBe(0);
  });

  it('a bad --peer-limits is refused before any peer is opened', async () => {
    await expect(runConformance({ only: LIMIT_CHECKS, peerLimits: 'nope=1', output: 'silent' })).rejects.toThrow(/unknown limit/);
  });
});
