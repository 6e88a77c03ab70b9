import type { Command } from 'commander';

/** Registers `arcp serve`. Placeholder until its owner lands the real command. */
export function registerServe(program: Command): void {
  program.command('serve').description('(not yet implemented)').action(() => {
    process.stderr.write('arcp serve: not implemented yet\n');
    process.exitCode = 2;
  });
}
