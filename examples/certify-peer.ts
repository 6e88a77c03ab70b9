// Certify an ARCP peer: the conformance harness drives a runtime over WebSocket (any
// implementation; here arcp-kit's own, started by this example) and returns a verdict per check.
// The CLI equivalent: `arcp conformance --target ws://host:port/arcp --token T --token-b T2`.
import { runConformance } from '../conformance/index.js';
import { ARCPRuntime, registerConformanceAgents } from '../runtime-kit/index.js';

export async function main(): Promise<{ checks: number; passed: number; failed: number; exitCode: number }> {
  // The peer under test hosts the agents of docs/conformance-agents.md.
  const peer = registerConformanceAgents(new ARCPRuntime({ tokens: { 'token-a': 'alice', 'token-b': 'bob' } }));
  const server = await peer.listen({ port: 0 });
  try {
    const result = await runConformance({
      target: server.url!,
      token: 'token-a',
      tokenB: 'token-b',
      only: '6.2/**,7.1/**', // a quick subset; drop `only` for the full certification
      runs: 5,
      seed: 1,
      output: 'silent',
    });
    const count = (outcome: string): number => result.verdicts.filter((v) => v.outcome === outcome).length;
    return { checks: result.verdicts.length, passed: count('pass'), failed: count('fail'), exitCode: result.exitCode };
  } finally {
    await peer.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await main());
}
