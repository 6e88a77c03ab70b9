// The API reference (typedoc.json -> `npm run docs:api` -> build/docs/api/) builds from the public
// entry points with no warning: broken {@link}s (validation.invalidLink) and every other TypeDoc
// warning fail (treatWarningsAsErrors). A fixture with a broken link proves the check bites.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const TYPEDOC = join(ROOT, 'node_modules/typedoc/bin/typedoc');

function typedoc(args: string[], cwd = ROOT): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [TYPEDOC, ...args], { cwd, encoding: 'utf8', timeout: 540_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('API reference (typedoc)', () => {
  it('typedoc.json documents every package entry point and validates links as errors', () => {
    const config = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8'));
    expect(config.treatWarningsAsErrors).toBe(true);
    expect(config.validation.invalidLink).toBe(true);
    expect(config.out).toBe('build/docs/api');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['docs:api']).toMatch(/^typedoc\b/);
    const docsTsconfig = JSON.parse(readFileSync(join(ROOT, config.tsconfig), 'utf8'));
    // Each export's source is an entry point: the exports value itself while it points at source,
    // or its `types`/`import` target mapped back from dist/ once the build lands.
    // `./package.json` is metadata, not code to document.
    const sources = Object.entries(pkg.exports as Record<string, unknown>).filter(([subpath]) => subpath !== './package.json').map(([, target]) => {
      const t = typeof target === 'string' ? target : ((target as Record<string, string>).types ?? (target as Record<string, string>).import ?? '');
      return t.replace(/^\.\//, '').replace(/^dist\//, '').replace(/\.d\.ts$|\.js$/, '.ts');
    });
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(config.entryPoints).toContain(source);
      expect(docsTsconfig.files).toContain(`../${source}`);
    }
  });

  it('builds from the declarations without a warning or a broken link', () => {
    const r = typedoc(['--emit', 'none']);
    expect(r.output).not.toMatch(/\[warning\]|\[error\]/);
    expect(r.status).toBe(0);
  }, 600_000);

  it('fails on a broken {@link} (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arcp-typedoc-'));
    writeFileSync(join(dir, 'entry.ts'), '/** Talks to {@link NoSuchThing}. */\nexport const answer = 42;\n');
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: [] }, files: ['entry.ts'] }));
    const r = typedoc(['--name', 'fixture', '--entryPoints', 'entry.ts', '--tsconfig', 'tsconfig.json', '--emit', 'none', '--validation.invalidLink', '--treatWarningsAsErrors'], dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/Failed to resolve link to "NoSuchThing"/);
  }, 120_000);
});
