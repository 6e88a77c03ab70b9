// The single command that replays one check (printed with every failure).

/** What a replay command shows instead of a bearer token: the variable the CLI reads it from. */
export const TOKEN_A_PLACEHOLDER = '$ARCP_TOKEN';
export const TOKEN_B_PLACEHOLDER = '$ARCP_TOKEN_B';

/** Quotes an argument for a POSIX shell when it needs it; a token placeholder stays expandable. */
function q(arg: string): string {
  if (arg === TOKEN_A_PLACEHOLDER || arg === TOKEN_B_PLACEHOLDER) return `"${arg}"`;
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function replayCommand(id: string, seed: number, path: string | undefined, extraArgs: readonly string[]): string {
  const args = ['arcp', 'conformance', '--only', id, '--seed', String(seed), '--runs', '1'];
  if (path) args.push('--replay-path', path);
  return [...args, ...extraArgs].map(q).join(' ');
}
