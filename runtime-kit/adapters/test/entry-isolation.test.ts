// Optional peers stay optional: following every value import (type-only imports load nothing)
// from each package.json entry point, the main entry reaches no framework and no OpenTelemetry
// package, each framework entry loads its framework never (Hono's loads @hono/node-server only
// lazily, inside serveHono), and only the telemetry entry loads @opentelemetry/api. Then the same
// for real: a process whose module resolution refuses every optional peer.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const OPTIONAL_PEERS = ['express', 'fastify', 'hono', '@hono/node-server', '@opentelemetry/api'];

interface Reach {
  eager: Set<string>;
  lazy: Set<string>;
  files: number;
}

function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Value imports of one file: [specifier, lazy]. */
function valueImports(file: string): Array<[string, boolean]> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: Array<[string, boolean]> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause?.isTypeOnly === true ||
        (clause !== undefined && clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) &&
          clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push([node.moduleSpecifier.text, false]);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly =
        node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) out.push([node.moduleSpecifier.text, false]);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      out.push([node.arguments[0].text, true]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

function reach(entry: string): Reach {
  const result: Reach = { eager: new Set(), lazy: new Set(), files: 0 };
  const seen = new Set<string>();
  const walk = (file: string, lazy: boolean): void => {
    const key = `${file}|${lazy}`;
    if (seen.has(key) || seen.has(`${file}|false`)) return;
    seen.add(key);
    result.files++;
    for (const [spec, isLazy] of valueImports(file)) {
      const viaLazy = lazy || isLazy;
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
        if (existsSync(target)) walk(target, viaLazy);
      } else {
        (viaLazy ? result.lazy : result.eager).add(packageOf(spec.replace(/^node:.*/, 'node:')));
      }
    }
  };
  walk(join(ROOT, entry), false);
  return result;
}

const exportsMap = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).exports as Record<string, string | Record<string, string>>;
/** The source file of an entry point (the exports value, or its types/import/default condition mapped back to source). */
function sourceOf(subpath: string): string {
  const target = exportsMap[subpath];
  const path = typeof target === 'string' ? target : (target?.import ?? target?.default ?? target?.types ?? '');
  const candidates = [path, path.replace(/^\.\/dist\//, './').replace(/\.(d\.ts|js)$/, '.ts')];
  const found = candidates.find((c) => c.endsWith('.ts') && !c.endsWith('.d.ts') && existsSync(join(ROOT, c)));
  if (!found) throw new Error(`no source for exports["${subpath}"] (${JSON.stringify(target)})`);
  return relative(ROOT, join(ROOT, found));
}

const peersIn = (set: Set<string>): string[] => OPTIONAL_PEERS.filter((p) => set.has(p));

describe('entry points load only their own optional peers', () => {
  it.each([
    ['.', [], []],
    ['./node', [], []],
    ['./express', [], []],
    ['./fastify', [], []],
    ['./hono', [], ['@hono/node-server']],
    ['./telemetry', ['@opentelemetry/api'], []],
  ] as const)('%s: eager %j, lazy %j', (subpath, eager, lazy) => {
    const r = reach(sourceOf(subpath));
    expect(r.files).toBeGreaterThan(0);
    expect(peersIn(r.eager)).toEqual(eager);
    expect(peersIn(r.lazy).filter((p) => !r.eager.has(p))).toEqual(lazy);
  });

  it('the scanner sees value imports and skips type-only ones', () => {
    const dir = join(ROOT, 'runtime-kit/adapters/test');
    const probe = valueImports(join(dir, 'frameworks.test.ts')).map(([s]) => s);
    expect(probe).toEqual(expect.arrayContaining(['express', 'fastify', 'hono', '@hono/node-server']));
    const fastify = valueImports(join(ROOT, 'runtime-kit/adapters/fastify.ts')).map(([s]) => s);
    expect(fastify).not.toContain('../runtime/runtime.js'); // `import type { ARCPRuntime }`
    expect(reach('runtime-kit/adapters/test/frameworks.test.ts').eager.has('express')).toBe(true);
  });
});

describe('with no optional peer installed (module hooks refuse to resolve them)', () => {
  it('the main, node, express, fastify and hono entries load and serve; serveHono and telemetry name what is missing', () => {
    const fixtures = join(ROOT, 'runtime-kit/adapters/test/fixtures');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(fixtures, 'refuse-optional-peers.mjs'), join(fixtures, 'without-peers.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.result).toBe('works');
    expect(out.hono).toMatch(/serveHono needs the optional peer dependency @hono\/node-server/);
    expect(out.telemetry).toMatch(/@opentelemetry\/api is not installed/);
  }, 120_000);
});
