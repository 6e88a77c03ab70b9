// Test-only: whether an npm range admits a major version, for the forms package.json uses in its
// peerDependencies (`^X.Y.Z`, `>=X.Y.Z`, `>=X.Y.Z <N.0.0`, joined by `||`). Any other form throws,
// so a new spelling is added here rather than silently read as "admits nothing".
export function admitsMajor(range: string, major: number): boolean {
  return range.split('||').some((alternative) => {
    const alt = alternative.trim();
    const caret = /^\^(\d+)\.\d+\.\d+$/.exec(alt);
    if (caret) return Number(caret[1]) === major;
    const span = /^>=(\d+)\.\d+\.\d+(?:\s+<(\d+)\.0\.0)?$/.exec(alt);
    if (span) return major >= Number(span[1]) && major < (span[2] === undefined ? Infinity : Number(span[2]));
    throw new Error(`admitsMajor: range form not handled: ${alt}`);
  });
}

/** The lowest Node major an `engines.node` of the form `>=N` admits. */
export function nodeFloor(engines: string): number {
  const m = /^>=\s*(\d+)/.exec(engines.trim());
  if (!m) throw new Error(`nodeFloor: engines.node form not handled: ${engines}`);
  return Number(m[1]);
}
