// The public declarations an embedder compiles against: every .d.ts reachable from the package's
// `exports` (types conditions) in dist/. No `any` anywhere on that surface (a typed event body
// that degrades to `any` silently switches the consumer's type checking off), and no third-party
// module types beyond what the entry point's users install anyway, so `@types/ws` & co. are never
// needed. dist/ is built by test/build-dist.global-setup.ts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
interface Manifest {
  exports: Record<string, string | { types?: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  types?: string;
  typings?: string;
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

function shipsOwnDeclarations(name: string): boolean {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as Manifest;
  const exported = JSON.stringify(manifest.exports ?? {});
  return manifest.types !== undefined || manifest.typings !== undefined || exported.includes('"types"');
}

/**
 * Entry point -> the bare modules its declarations may import (node builtins always may): only
 * packages the entry's users install anyway and that ship their own declarations.
 */
const ALLOWED_EXTERNAL: Record<string, readonly string[]> = {
  '.': ['decimal.js', 'jose'], // runtime dependencies (budgets, JWT verification options)
  './generated': [],
  // The harness is for people who installed its toolchain (optional peer dependencies).
  './conformance': ['fast-check'],
};
/** Entry points not listed above (framework adapters, telemetry) may import their optional peers. */
/** Every entry re-exports runtime types, so the runtime's own typed dependencies may appear in any. */
const RUNTIME_TYPED_DEPENDENCIES = ALLOWED_EXTERNAL['.']!;
const allowedExternal = (subpath: string): readonly string[] => [
  ...(ALLOWED_EXTERNAL[subpath] ?? Object.keys(pkg.peerDependencies ?? {})),
  ...RUNTIME_TYPED_DEPENDENCIES,
];

interface Surface {
  files: string[];
  anys: string[];
  externals: Set<string>;
}

function declarationOf(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.d.ts'), `${base}.d.ts`, join(base, 'index.d.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${relative(ROOT, from)} imports ${specifier}, which has no declaration file`);
}

/** Walks the declaration graph from one entry, collecting `any` keywords and bare imports. */
function surfaceOf(entry: string): Surface {
  const surface: Surface = { files: [], anys: [], externals: new Set() };
  const seen = new Set<string>();
  const visitFile = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    surface.files.push(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const follow = (specifier: string): void => {
      if (specifier.startsWith('.')) visitFile(declarationOf(file, specifier));
      else if (!specifier.startsWith('node:')) surface.externals.add(specifier);
    };
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        surface.anys.push(`${relative(ROOT, file)}:${line + 1}: ${source.text.split('\n')[line]!.trim()}`);
      }
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        follow(node.moduleSpecifier.text);
      }
      if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
        follow(node.argument.literal.text);
      }
      if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) follow(node.expression.text);
      ts.forEachChild(node, visit);
    };
    visit(source);
  };
  visitFile(entry);
  return surface;
}

const entries = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
  typeof target === 'object' && target.types !== undefined ? [[subpath, join(ROOT, target.types)] as const] : [],
);

describe('public declarations (dist/*.d.ts reachable from exports)', () => {
  it('every exported entry point has declarations, including the three core ones', () => {
    expect(entries.map(([subpath]) => subpath)).toEqual(expect.arrayContaining(Object.keys(ALLOWED_EXTERNAL)));
    for (const [, file] of entries) expect(existsSync(file), file).toBe(true);
  });

  it.each(entries)('%s: no `any` on the public surface', (_subpath, entry) => {
    const surface = surfaceOf(entry);
    expect(surface.files.length).toBeGreaterThan(0);
    expect(surface.anys).toEqual([]);
  });

  it.each(entries)('%s: imports no third-party types beyond its documented ones', (subpath, entry) => {
    const externals = [...surfaceOf(entry).externals].sort();
    expect(externals.filter((m) => !allowedExternal(subpath).includes(m))).toEqual([]);
  });

  it('each allowed third-party module is a dependency of ours that ships its own declarations', () => {
    const installed = { ...pkg.dependencies, ...pkg.peerDependencies };
    for (const name of Object.values(ALLOWED_EXTERNAL).flat()) {
      expect(installed, name).toHaveProperty([name]);
      expect(shipsOwnDeclarations(name), `${name} needs an @types package`).toBe(true);
    }
    expect(shipsOwnDeclarations('ws')).toBe(false); // why ws's types must never leak (@types/ws)
  });

  it('the walker sees `any` and bare imports where they are (so the checks above can fail)', () => {
    const probe = ts.createSourceFile('probe.d.ts', "import type { WebSocket } from 'ws';\nexport interface E { body: any }\n", ts.ScriptTarget.Latest, true);
    const kinds: string[] = [];
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) kinds.push('any');
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) kinds.push(node.moduleSpecifier.text);
      ts.forEachChild(node, visit);
    };
    visit(probe);
    expect(kinds).toEqual(['ws', 'any']);
  });
});
