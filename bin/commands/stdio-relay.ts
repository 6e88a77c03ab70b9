// `arcp conformance-stdio-relay URL` (hidden): what a client under test spawns as its runtime when
// `arcp conformance --role client --transport stdio` certifies its stdio transport.
import type { Command } from 'commander';

export function registerStdioRelay(program: Command): void {
  program
    .command('conformance-stdio-relay', { hidden: true })
    .argument('<url>', 'the scripted runtime of a client-role conformance run')
    .action(async (url: string) => {
      const { runStdioRelay } = await import('../../conformance/client-role/stdio-relay.js');
      await runStdioRelay(url);
      process.exit(0);
    });
}
