// The single command that replays one check (printed with every failure).

/** Quotes an argument for a POSIX shell when it needs it. */
function q(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function replayCommand(id: string, seed: number, path: string | undefined, extraArgs: readonly string[]): string {
  const args = ['arcp', 'conformance', '--only', id, '--seed', String(seed), '--runs', '1'];
  if (path) args.push('--replay-path', path);
  return [...args, ...extraArgs].map(q).join(' ');
}
