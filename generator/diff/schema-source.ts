// An `arcp schema diff` operand: a schema/ directory, or a git revision whose schema/ folder is
// extracted into a temporary directory (`main`, `v1.1.0`, `HEAD~1`, `origin/main:spec/schema`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface SchemaSource {
  readonly dir: string;
  readonly label: string;
  cleanup(): void;
}

export class SchemaSourceError extends Error {}

/** `REV` means `REV:schema`; `REV:PATH` picks another folder of that revision. */
export function openSchemaSource(operand: string, repo: string): SchemaSource {
  const asDir = resolve(operand);
  if (existsSync(asDir) && statSync(asDir).isDirectory()) return { dir: asDir, label: operand, cleanup: () => {} };
  const [rev, path = 'schema'] = operand.split(/:(.*)/s, 2) as [string, string | undefined];
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: repo, stdio: 'pipe' });
  } catch {
    throw new SchemaSourceError(`"${operand}" is neither a directory nor a git revision of ${repo}`);
  }
  const root = mkdtempSync(join(tmpdir(), 'arcp-schema-'));
  try {
    const tar = execFileSync('git', ['archive', '--format=tar', rev, path], { cwd: repo, maxBuffer: 256 * 1024 * 1024 });
    execFileSync('tar', ['-x', '-C', root], { input: tar });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw new SchemaSourceError(`cannot read ${path}/ at ${rev}: ${(err as Error).message.split('\n')[0]}`);
  }
  return { dir: join(root, path), label: `${rev}:${path}`, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
