// `npm run bench NAME` / `tsx bench/run.ts NAME`: runs bench/NAME.bench.ts. A bench module either
// runs on import or exports a default (async) function, which is then called.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.slice(0, -'.bench.ts'.length)).sort();
const name = process.argv[2];

if (name === undefined || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench <name>   (available: ${available.join(', ') || 'none'})\n`);
  process.exitCode = name === undefined ? 2 : 1;
} else {
  const module = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as { default?: unknown };
  if (typeof module.default === 'function') await (module.default as () => unknown)();
}
