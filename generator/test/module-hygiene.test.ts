// Invariant: generated ESM never calls a bare `require(` (ajv #1976/#2209 breaks pure ESM) and never
// compiles schemas at start-up: validators.ts only loads the precompiled .cjs files via createRequire.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlineRuntimeHelpers } from '../emit/validators-code.js';
import { GENERATED_DIR } from './support/temp-output.js';

const files = readdirSync(GENERATED_DIR).sort();
const esm = files.filter((f) => f.endsWith('.ts'));

describe('module hygiene of generated/', () => {
  it('has the expected ESM modules and CommonJS validator bundles', () => {
    expect(esm).toEqual(['index.ts', 'machines.ts', 'registry.ts', 'schemas.ts', 'types.ts', 'validators.fast.ts', 'validators.ts']);
    expect(files.filter((f) => f.endsWith('.cjs'))).toEqual(['validators.lenient.cjs', 'validators.strict.cjs']);
  });

  it.each(esm)('%s contains no bare require( and imports no ajv', (file) => {
    const text = readFileSync(join(GENERATED_DIR, file), 'utf8');
    expect(text).not.toMatch(/(^|[^.\w])require\(/m);
    expect(text).not.toMatch(/from ['"]ajv/);
    expect(text).not.toMatch(/new Ajv|\.compile\(/);
  });

  it('the .cjs bundles require nothing (ajv helpers are inlined), so embedders need no ajv', () => {
    for (const file of files.filter((f) => f.endsWith('.cjs'))) {
      const required = [...readFileSync(join(GENERATED_DIR, file), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(required, file).toEqual([]);
    }
  });

  it('inlines self-contained helpers once each and refuses one that requires further modules', () => {
    const code = '"use strict";\nconst a = require("ajv/dist/runtime/ucs2length").default;\nconst b = require("ajv/dist/runtime/ucs2length").default;';
    const out = inlineRuntimeHelpers(code);
    expect(out).not.toMatch(/require\(/);
    expect(out.match(/function ucs2length\(/g)).toHaveLength(1);
    expect(out).toMatch(/^"use strict";\n\/\/ inlined from ajv\/dist\/runtime\/ucs2length\n/);
    // ajv's `equal` helper requires fast-deep-equal: inlining it would hide a run-time dependency.
    expect(() => inlineRuntimeHelpers('const e = require("ajv/dist/runtime/equal").default;')).toThrow(/ajv\/dist\/runtime\/equal, which requires fast-deep-equal/);
  });

  it('validators.ts loads the bundles through createRequire(import.meta.url)', () => {
    const text = readFileSync(join(GENERATED_DIR, 'validators.ts'), 'utf8');
    expect(text).toContain("import { createRequire } from 'node:module';");
    expect(text).toContain('createRequire(import.meta.url)');
    expect(text).toContain("load('./validators.strict.cjs')");
    expect(text).toContain("load('./validators.lenient.cjs')");
  });
});
