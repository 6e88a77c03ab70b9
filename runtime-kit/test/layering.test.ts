// Layering rules (style.md item 9; contracts.md "data flows one way"):
//   schema -> generator -> generated -> runtime-kit -> conformance/bin
//   inside runtime-kit: transport (no ARCP knowledge) < errors < protocol < machines/session layer.
// The scanner reads import/export/require specifiers from source text and resolves relative ones.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Rule {
  name: string;
  /** Repo-relative directory prefix the rule applies to (posix). */
  from: string;
  /** True when importing `target` (repo-relative path, or `pkg:<bare specifier>`) breaks the rule. */
  forbids(target: string): boolean;
}

const under = (target: string, ...dirs: string[]): boolean => dirs.some((d) => target === d || target.startsWith(d + '/'));
const SESSION_LAYER = ['runtime-kit/machines', 'runtime-kit/client', 'runtime-kit/runtime', 'runtime-kit/agents', 'runtime-kit/authority'];

export const RULES: Rule[] = [
  {
    name: 'transport/ knows nothing of ARCP (only errors/kit-error.ts may be imported)',
    from: 'runtime-kit/transport',
    forbids: (t) =>
      t.startsWith('pkg:arcp-kit') ||
      (!t.startsWith('pkg:') && !under(t, 'runtime-kit/transport') && t !== 'runtime-kit/errors/kit-error'),
  },
  {
    name: 'runtime-kit never imports conformance/ or bin/',
    from: 'runtime-kit',
    forbids: (t) => under(t, 'conformance', 'bin') || t.startsWith('pkg:arcp-kit/conformance'),
  },
  {
    name: 'generated/ never imports runtime-kit/',
    from: 'generated',
    forbids: (t) => under(t, 'runtime-kit') || t === 'pkg:arcp-kit',
  },
  {
    name: 'errors/ depends only on generated/ (no protocol, transport or session layer)',
    from: 'runtime-kit/errors',
    forbids: (t) => !t.startsWith('pkg:') && !under(t, 'runtime-kit/errors', 'generated'),
  },
  {
    name: 'protocol/ does not import the session layer',
    from: 'runtime-kit/protocol',
    forbids: (t) => under(t, ...SESSION_LAYER, 'runtime-kit/transport'),
  },
  {
    name: 'machines/ does not import client/, runtime/ or agents/',
    from: 'runtime-kit/machines',
    forbids: (t) => under(t, 'runtime-kit/client', 'runtime-kit/runtime', 'runtime-kit/agents'),
  },
];

const IMPORT_PATTERNS = [
  /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm, // import x from '...'; export * from '...'
  /^\s*import\s*['"]([^'"]+)['"]/gm, // side-effect import
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // dynamic import
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];

export function specifiers(source: string): string[] {
  const out = new Set<string>();
  for (const re of IMPORT_PATTERNS) for (const m of source.matchAll(re)) out.add(m[1]!);
  return [...out];
}

/** Repo-relative posix path without extension, or `pkg:<specifier>` for bare specifiers. */
export function resolveTarget(fromFile: string, spec: string): string {
  if (!spec.startsWith('.') && !spec.startsWith('/')) return `pkg:${spec}`;
  const abs = resolve(ROOT, dirname(fromFile), spec);
  return relative(ROOT, abs).split(sep).join('/').replace(/\.(m|c)?[jt]s$/, '');
}

export function violations(file: string, source: string): string[] {
  const found: string[] = [];
  for (const spec of specifiers(source)) {
    const target = resolveTarget(file, spec);
    for (const rule of RULES) {
      if (under(file, rule.from) && rule.forbids(target)) found.push(`${file} imports '${spec}': ${rule.name}`);
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, dir));
  } catch {
    return []; // directory not created yet
  }
  const files: string[] = [];
  for (const name of entries) {
    const rel = `${dir}/${name}`;
    if (name === 'node_modules') continue;
    if (statSync(join(ROOT, rel)).isDirectory()) files.push(...sourceFiles(rel));
    else if (/\.(m|c)?[jt]s$/.test(name) && !name.endsWith('.d.ts')) files.push(rel);
  }
  return files;
}

describe('layering', () => {
  it('the repository respects every rule', () => {
    const files = [...sourceFiles('runtime-kit'), ...sourceFiles('generated')];
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((f) => violations(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  describe('the scanner catches violations', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['runtime-kit/transport/x.ts', `import { decodeFrame } from '../protocol/codec.js';`, /transport/],
      ['runtime-kit/transport/x.ts', `import { ARCPError } from '../errors/arcp-error.js';`, /transport/],
      ['runtime-kit/transport/x.ts', `import type {\n  ArcpMessage,\n} from '../../generated/types.js';`, /transport/],
      ['runtime-kit/transport/x.ts', `export * from '../errors/index.js';`, /transport/],
      ['runtime-kit/transport/x.ts', `const g = await import('arcp-kit/generated');`, /transport/],
      ['runtime-kit/client/x.ts', `import { run } from '../../conformance/index.js';`, /conformance/],
      ['runtime-kit/runtime/x.ts', `import '../../bin/arcp.js';`, /bin/],
      ['generated/registry.ts', `import { KitError } from '../runtime-kit/errors/kit-error.js';`, /generated/],
      ['runtime-kit/errors/x.ts', `import { systemClock } from '../protocol/clock.js';`, /errors/],
      ['runtime-kit/protocol/x.ts', `import { ARCPRuntime } from '../runtime/runtime.js';`, /protocol/],
      ['runtime-kit/machines/x.ts', `const c = require('../client/client.js');`, /machines/],
    ];
    it.each(cases)('%s: %s', (file, source, rule) => {
      const found = violations(file, source);
      expect(found.length).toBeGreaterThan(0);
      expect(found.join('\n')).toMatch(rule);
    });

    it('allows the permitted imports', () => {
      expect(violations('runtime-kit/transport/x.ts', `import { KitError } from '../errors/kit-error.js';\nimport WebSocket from 'ws';\nimport { x } from './types.js';`)).toEqual([]);
      expect(violations('runtime-kit/protocol/x.ts', `import { validateMessage } from '../../generated/validators.js';`)).toEqual([]);
      // Text that merely mentions a path in a comment is not an import.
      expect(violations('runtime-kit/transport/x.ts', `// see ../protocol/codec.ts, from '../protocol/codec.js'`)).toEqual([]);
    });
  });
});
