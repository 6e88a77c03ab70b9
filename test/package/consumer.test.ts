// The measure of the package is a fresh consumer project (issue 11): pack arcp-kit, install the
// tarball into an empty project, and use it there the way an embedder would, with nothing from
// this repository on the module path.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, measureNodeModules, NPM_INSTALL, ROOT, type ConsumerProject } from './support/consumer-project.js';
import { admitsMajor, nodeFloor } from './support/peer-ranges.js';

const MAX_PACKAGES = 10;
const MAX_BYTES_ON_DISK = 10 * 1024 * 1024;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
// Lifecycle scripts npm runs (or, npm 11, lists for approval under allowScripts) when a consumer
// installs the package; `prepare` is among them even though a registry install never runs it.
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
// Majors of optional native peers that need a newer Node than some we support (their own
// `engines.node`, from the registry on 2026-12-04); a peer range must not admit them while our
// `engines.node` floor is below.
const PEER_NODE_FLOORS = [{ peer: 'better-sqlite3', major: 13, node: 22 }];
const TYPES_NODE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')) as { version: string }).version;

let consumer: ConsumerProject;
let installed: ReturnType<typeof measureNodeModules>;

beforeAll(() => {
  consumer = createConsumerProject();
  installed = measureNodeModules(consumer.dir); // before anything else is added to the project
}, 300_000);

afterAll(() => consumer?.dispose());

const arcp = (args: readonly string[], opts: { check?: boolean } = {}) =>
  consumer.run(process.execPath, [join(consumer.dir, 'node_modules', '.bin', 'arcp'), ...args], { check: false, ...opts });

describe('a fresh consumer project with the packed tarball installed', () => {
  it(`pulls in at most ${MAX_PACKAGES} packages and ${MAX_BYTES_ON_DISK / 1024 / 1024} MB on disk`, () => {
    console.log(`consumer install: ${installed.packages.length} packages (${installed.packages.join(', ')}), ` +
      `${(installed.bytesOnDisk / 1024 / 1024).toFixed(2)} MB on disk, ${(installed.bytes / 1024 / 1024).toFixed(2)} MB of files`);
    expect(installed.packages).toContain('arcp-kit');
    expect(installed.packages.length).toBeLessThanOrEqual(MAX_PACKAGES);
    expect(installed.bytesOnDisk).toBeLessThanOrEqual(MAX_BYTES_ON_DISK);
    // Neither toolchain nor a TypeScript loader comes along with the embeddable package.
    for (const heavy of ['ajv', 'fast-check', 'handlebars', 'json-schema-to-typescript', 'ts-morph', 'typescript', 'tsx']) {
      expect(installed.packages).not.toContain(heavy);
    }
  });

  it('ships compiled code, declarations, LICENSE and CHANGELOG, and no tests', () => {
    const kit = join(consumer.dir, 'node_modules', 'arcp-kit');
    for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md', 'dist/runtime-kit/index.js', 'dist/runtime-kit/index.d.ts', 'dist/runtime-kit/index.d.ts.map', 'dist/generated/validators.strict.cjs']) {
      expect(existsSync(join(kit, file)), file).toBe(true);
    }
    const listing = consumer.run('tar', ['-tzf', consumer.tarball]).stdout.split('\n');
    expect(listing.filter((f) => /\/test\/|\.test\.[jt]s$|\/fixtures\/|tsbuildinfo/.test(f))).toEqual([]);
    expect(readFileSync(join(kit, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it('its manifest has no script npm runs or flags in a consumer install, and the files its bin names are packed', () => {
    const kit = join(consumer.dir, 'node_modules', 'arcp-kit');
    const manifest = JSON.parse(readFileSync(join(kit, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; bin: Record<string, string> };
    const packed = new Set(consumer.run('tar', ['-tzf', consumer.tarball]).stdout.split('\n').map((f) => f.replace(/^package\//, '')));
    const scripts = manifest.scripts ?? {};
    expect(Object.keys(scripts).filter((name) => INSTALL_SCRIPTS.includes(name))).toEqual([]);
    for (const file of Object.values(manifest.bin)) expect(packed.has(file.replace(/^\.\//, '')), file).toBe(true);
  });

  it('no optional peer range admits a major that needs a newer Node than engines.node allows', () => {
    const kit = join(consumer.dir, 'node_modules', 'arcp-kit');
    const manifest = JSON.parse(readFileSync(join(kit, 'package.json'), 'utf8')) as { engines: { node: string }; peerDependencies: Record<string, string> };
    const floor = nodeFloor(manifest.engines.node);
    for (const { peer, major, node } of PEER_NODE_FLOORS.filter((row) => row.node > floor)) {
      expect(admitsMajor(manifest.peerDependencies[peer]!, major), `${peer}@${major} needs Node ${node}; engines.node is ${manifest.engines.node}`).toBe(false);
    }
    // ... and the range still admits the version this repository tests with.
    for (const peer of PEER_NODE_FLOORS.map((row) => row.peer)) {
      const tested = (JSON.parse(readFileSync(join(ROOT, 'node_modules', peer, 'package.json'), 'utf8')) as { version: string }).version;
      expect(admitsMajor(manifest.peerDependencies[peer]!, Number(tested.split('.')[0])), `${peer}@${tested}`).toBe(true);
    }
  });

  it('publint --strict and @arethetypeswrong/cli (esm-only) accept the packed tarball', { timeout: 240_000 }, () => {
    const r = consumer.run(process.execPath, [join(ROOT, 'scripts', 'check-package.mjs'), consumer.tarball], { check: false, timeout: 180_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('All good!');
    expect(r.stdout).not.toMatch(/❌|🐛|🥴|💀|🚭|❗️/);
  });

  it('a plain-JS ESM program runs a client against a runtime, in memory and over a loopback WebSocket', { timeout: 120_000 }, () => {
    const r = consumer.run(process.execPath, ['embed-loopback.mjs'], { timeout: 110_000 });
    const out = JSON.parse(r.stdout) as Record<'memory' | 'websocket', { result: unknown; kinds: string[]; refused: unknown }> & { url: string };
    for (const via of ['memory', 'websocket'] as const) {
      expect(out[via].result, via).toEqual({ text: 'HELLO' });
      expect(out[via].kinds, via).toContain('progress');
      expect(out[via].refused, via).toEqual({ code: 'AGENT_NOT_AVAILABLE', retryable: false });
    }
    expect(out.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/arcp$/);
  });

  it('require() either loads the package or is refused as ESM-only with Node\'s own error', () => {
    const out = JSON.parse(consumer.run(process.execPath, ['require.cjs']).stdout) as { loaded: boolean; client?: string; runtime?: string; code?: string };
    if (out.loaded) expect(out).toEqual({ loaded: true, client: 'function', runtime: 'function' });
    else expect(out.code).toMatch(/^ERR_REQUIRE_(ESM|ASYNC_MODULE)$/);
  });

  it.each(['node16', 'nodenext', 'bundler'])('a strict TypeScript program type-checks with moduleResolution %s (skipLibCheck false)', { timeout: 240_000 }, (mode) => {
    if (!existsSync(join(consumer.dir, 'node_modules', '@types', 'node'))) {
      // A Node program in TypeScript has @types/node; nothing else (no @types/ws) is added.
      consumer.run('npm', [...NPM_INSTALL, '--save-dev', `@types/node@${TYPES_NODE_VERSION}`]);
    }
    const r = consumer.run(process.execPath, [TSC, '-p', `tsconfig.${mode}.json`], { check: false, timeout: 230_000 });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('the arcp CLI runs the compiled code: --help works without any TypeScript loader installed', () => {
    const r = arcp(['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Usage: arcp/);
    for (const command of ['serve', 'submit', 'generate', 'conformance']) expect(r.stdout).toContain(command);
    expect(existsSync(join(consumer.dir, 'node_modules', 'tsx'))).toBe(false);
  });

  it('arcp serve is one process that SIGTERM to its PID stops cleanly, freeing its port', async () => {
    const child = spawn(process.execPath, [join(consumer.dir, 'node_modules', '.bin', 'arcp'), 'serve', '--port', '0', '--token', 't=alice'], { cwd: consumer.dir });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on (ws:\/\/\S+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`arcp serve exited ${code} before listening: ${stderr}`)));
    });
    const children = `/proc/${child.pid}/task/${child.pid}/children`;
    if (existsSync(children)) expect(readFileSync(children, 'utf8').trim()).toBe(''); // no loader or worker child
    const port = Number(new URL(url).port);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toContain('SIGTERM, shutting down');
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('arcp generate never writes into node_modules: without --out and --docs it exits 2 naming them', () => {
    // Found by an independent attack (2026-12-03): the defaults pointed into the installed
    // package, so `--out DIR` still wrote docs/reference into node_modules/arcp-kit, and
    // `--check` always reported the (unshipped) generated/ as stale.
    for (const args of [['generate'], ['generate', '--check'], ['generate', '--out', join(consumer.dir, 'out')]]) {
      const r = arcp(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/name the output directories with (--out and )?--docs/);
    }
    expect(existsSync(join(consumer.dir, 'node_modules', 'arcp-kit', 'docs'))).toBe(false);
  });

  it('arcp generate and arcp conformance name the one install command when their toolchain is missing', () => {
    const generate = arcp(['generate', '--check', '--out', join(consumer.dir, 'out'), '--docs', join(consumer.dir, 'docs')]);
    expect(generate.status).toBe(69);
    expect(generate.stderr).toContain('npm install --save-dev ajv ajv-formats handlebars json-schema-to-typescript ts-morph');
    const conformance = arcp(['conformance', '--list']);
    expect(conformance.status).toBe(69);
    expect(conformance.stderr).toContain('npm install --save-dev fast-check handlebars');
  });

  it('after that one command, arcp conformance certifies the built-in runtime', { timeout: 240_000 }, () => {
    const hint = arcp(['conformance', '--list']).stderr;
    const command = /npm install (--save-dev [^\n]+)/.exec(hint)![1]!.split(' ');
    consumer.run('npm', [...NPM_INSTALL, ...command]);
    const r = arcp(['conformance', '--only', '7.1/submit/accepted-then-result,8.3/seq/*', '--seed', '1', '--runs', '1']);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    // An --only run certifies only what it ran: PARTIAL with no MUST failure, exit 0.
    expect(r.stdout).toMatch(/RESULT: PARTIAL: no MUST-level failure in what ran/);
  });
});
