import type { Command } from 'commander';

/** Registers `arcp submit`. Placeholder until its owner lands the real command. */
export function registerSubmit(program: Command): void {
  program.command('submit').description('(not yet implemented)').action(() => {
    process.stderr.write('arcp submit: not implemented yet\n');
    process.exitCode = 2;
  });
}
