// Issue 10 item 1: the client role over stdio. The client under test spawns the harness's relay
// (`arcp conformance-stdio-relay URL`) as its runtime child and speaks NDJSON on its stdio, so the
// same scripted runtime certifies a client's stdio transport: handshake, malformed lines, a
// resume on a freshly spawned child, and chunked results.
import { describe, expect, it } from 'vitest';
import { runClientConformance } from '../client-role/index.js';

const CHECKS = [
  '6.1/client/hello-first-with-bearer',
  '5/client/malformed-frames-survived',
  '6.3/client/resume-presents-last-seq',
  '8.3/client/gap-detected',
];

describe('client role over stdio (arcp-kit client, in-process driver)', () => {
  it('certifies the handshake, malformed lines and a resume on a respawned child', async () => {
    const result = await runClientConformance({ transport: 'stdio', only: CHECKS.join(','), seed: 1, runs: 3, output: 'silent' });
    const outcomes = Object.fromEntries(result.verdicts.map((v) => [v.id, `${v.outcome}${v.message ? `: ${v.message}` : ''}`]));
    for (const id of CHECKS) expect(outcomes[id], JSON.stringify(outcomes)).toBe('pass');
    expect(result.exitCode).toBe(0);
  }, 240_000);
});
