import type { Command } from 'commander';

/** Registers `arcp conformance`. Placeholder until its owner lands the real command. */
export function registerConformance(program: Command): void {
  program.command('conformance').description('(not yet implemented)').action(() => {
    process.stderr.write('arcp conformance: not implemented yet\n');
    process.exitCode = 2;
  });
}
