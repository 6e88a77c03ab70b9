// The README's promises stay true: its embedding example is examples/embed.ts verbatim and runs,
// and its quick start names commands that exist.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../examples/embed.js';

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

describe('README', () => {
  it('embeds examples/embed.ts verbatim', () => {
    const example = readFileSync(new URL('examples/embed.ts', root), 'utf8').trimEnd();
    expect(readme).toContain('```ts\n' + example + '\n```');
  });

  it('the embedding example runs end to end through the public barrel', async () => {
    const { result, kinds } = await main();
    expect(result).toEqual({ words: 4 });
    expect(kinds).toContain('progress');
  });

  it('quick start is the main job plus the test command from package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
    expect(readme).toMatch(/npm install && npx arcp conformance/);
    expect(readme).toMatch(/^npm test\b/m);
    expect(pkg.scripts.test).toBe('vitest run');
    expect(pkg.bin.arcp).toBe('bin/arcp.mjs');
  });
});
