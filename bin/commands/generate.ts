import type { Command } from 'commander';

/** Registers `arcp generate`. Placeholder until its owner lands the real command. */
export function registerGenerate(program: Command): void {
  program.command('generate').description('(not yet implemented)').action(() => {
    process.stderr.write('arcp generate: not implemented yet\n');
    process.exitCode = 2;
  });
}
