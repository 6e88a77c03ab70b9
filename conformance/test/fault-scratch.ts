// Builds the mutant runtime once: a scratch copy of runtime-kit/ + generated/ with every fault of
// fault-mutants.ts applied behind its switch (mutant schemata: one copy, one module graph, the
// active fault chosen at run time). The product tree is never touched and never carries a fault.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inProcessTarget, type RuntimeModules } from '../driver/in-process.js';
import type { PeerTarget } from '../driver/target.js';
import { FAULTS, type Fault } from './fault-mutants.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SWITCH = '__arcpFault';

/** The guard expression of one fault. */
function guard(name: string): string {
  return `((globalThis as any).${SWITCH} === ${JSON.stringify(name)})`;
}

/** Applies every edit in order; throws when a `find` no longer occurs exactly once. */
export function applyMutations(read: (file: string) => string, faults: readonly Fault[] = FAULTS): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of faults) {
    for (const e of f.edits) {
      const text = files.get(e.file) ?? read(e.file);
      const count = text.split(e.find).length - 1;
      if (count !== 1) throw new Error(`fault ${f.name}: ${e.file} contains its find text ${count} times (expected 1): ${JSON.stringify(e.find.slice(0, 80))}`);
      files.set(e.file, text.replace(e.find, () => e.replace.replaceAll('$ON', guard(f.name))));
    }
  }
  return files;
}

let built: Promise<{ dir: string; modules: RuntimeModules }> | undefined;

async function build(): Promise<{ dir: string; modules: RuntimeModules }> {
  const dir = mkdtempSync(join(tmpdir(), 'arcp-mutants-'));
  // whoever forgets disposeMutants() still leaves no scratch copy behind
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const skipTests = (src: string) => !/[\\/]test([\\/]|$)/.test(src.slice(ROOT.length));
  for (const d of ['runtime-kit', 'generated']) cpSync(join(ROOT, d), join(dir, d), { recursive: true, filter: skipTests });
  writeFileSync(join(dir, 'package.json'), readFileSync(join(ROOT, 'package.json')));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [file, text] of applyMutations((f) => readFileSync(join(ROOT, f), 'utf8'))) writeFileSync(join(dir, file), text);
  const load = (p: string) => import(pathToFileURL(join(dir, p)).href);
  const [runtime, agents, authority, memory] = await Promise.all([
    load('runtime-kit/runtime/runtime.ts'),
    load('runtime-kit/agents/index.ts'),
    load('runtime-kit/authority/index.ts'),
    load('runtime-kit/transport/memory.ts'),
  ]);
  const modules: RuntimeModules = {
    ARCPRuntime: runtime.ARCPRuntime,
    registerConformanceAgents: agents.registerConformanceAgents,
    ReferenceProvisioner: authority.ReferenceProvisioner,
    createMemoryTransportPair: memory.createMemoryTransportPair,
  };
  return { dir, modules };
}

/** The mutant modules (built on first use, shared by the process). */
export function mutantModules(): Promise<RuntimeModules> {
  built ??= build();
  return built.then((b) => b.modules);
}

/** Removes the scratch copy (call from afterAll). */
export async function disposeMutants(): Promise<void> {
  if (!built) return;
  const { dir } = await built;
  built = undefined;
  rmSync(dir, { recursive: true, force: true });
}

/**
 * An in-process target running the mutant with `fault` switched on (none: the mutant with every
 * switch off, which must behave like the product). One fault is active at a time per process.
 */
export async function faultyTarget(fault: string | undefined, opts: { observers?: 'b-observes-a' } = {}): Promise<PeerTarget> {
  const known = FAULTS.find((f) => f.name === fault);
  if (fault !== undefined && !known) throw new Error(`unknown fault ${fault}`);
  const modules = await mutantModules();
  const target = await inProcessTarget({ modules, observers: opts.observers ?? known?.target?.observers, describe: fault ? `in-process arcp-kit mutant ${fault}` : 'in-process arcp-kit mutant (no fault on)' });
  (globalThis as Record<string, unknown>)[SWITCH] = fault;
  return {
    ...target,
    dispose: async () => {
      // only its own: a run that outlived its test (a timeout) must not switch off the next test's fault
      if ((globalThis as Record<string, unknown>)[SWITCH] === fault) (globalThis as Record<string, unknown>)[SWITCH] = undefined;
      await target.dispose();
    },
  };
}
