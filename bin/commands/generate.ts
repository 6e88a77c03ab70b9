// `arcp generate`: parses flags, runs generator/ in memory, then writes (or with --check compares)
// generated/ and docs/reference/ through generator/output/write.ts; prints per-step timing.
import { join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { PACKAGE_ROOT } from '../../runtime-kit/package-info.js';
import { GENERATOR_TOOLCHAIN, requireToolchain, TOOLCHAIN_MISSING_EXIT } from '../toolchain.js';
// generator/ is imported lazily: it pulls in ts-morph and json-schema-to-typescript (~1.5 s), which
// every other `arcp` command (notably `serve --stdio`, spawned once per conformance connection)
// must not pay for.

// Defaults are relative to the package root, so `npx arcp generate` works from any directory.

interface GenerateOptions {
  schema?: string;
  out?: string;
  docs?: string;
  check?: boolean;
  quiet?: boolean;
}

/** Runs `arcp generate`; returns the exit code (0 ok, 1 stale in --check, 2 bad schema or usage). */
export async function runGenerate(opts: GenerateOptions): Promise<number> {
  const log = (line: string) => {
    if (!opts.quiet) process.stdout.write(`${line}\n`);
  };
  const started = performance.now();
  // Installed as a dependency, <package>/generated and <package>/docs are inside node_modules:
  // not the user's to write, and never "up to date" (the package ships dist/, not generated/).
  const missing = [opts.out === undefined ? '--out' : '', opts.docs === undefined ? '--docs' : ''].filter(Boolean);
  if (missing.length > 0 && PACKAGE_ROOT.split(sep).includes('node_modules')) {
    process.stderr.write(`arcp generate: arcp-kit is installed in ${PACKAGE_ROOT}; name the output directories with ${missing.join(' and ')} (the defaults are for a checkout of arcp-kit)\n`);
    return 2;
  }
  requireToolchain('arcp generate', GENERATOR_TOOLCHAIN);
  const { generate, SchemaLoadError } = await import('../../generator/index.js');
  const { writeOutputs } = await import('../../generator/output/write.js');
  let result;
  try {
    result = await generate(resolve(opts.schema ?? join(PACKAGE_ROOT, 'schema')), (step, ms) => log(pc.dim(`  ${step.padEnd(16)} ${ms.toFixed(0).padStart(5)} ms`)));
  } catch (err) {
    if (err instanceof SchemaLoadError) {
      process.stderr.write(`${pc.red('arcp generate: schema problems')}\n${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const dirs = {
    generated: resolve(opts.out ?? join(PACKAGE_ROOT, 'generated')),
    docs: resolve(opts.docs ?? join(PACKAGE_ROOT, 'docs', 'reference')),
  };
  const report = writeOutputs(result.files, dirs, { check: opts.check === true });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (opts.check) {
    if (report.stale.length === 0) {
      log(`${pc.green('up to date')}: ${result.files.length} files (${seconds} s)`);
      return 0;
    }
    process.stderr.write(`${pc.red(`${report.stale.length} generated file(s) are stale`)}; run \`npx arcp generate\`:\n`);
    for (const s of report.stale) {
      process.stderr.write(`  ${s.reason.padEnd(7)} ${s.path}\n`);
      if (s.diff) process.stderr.write(`${s.diff.split('\n').map((l) => `    ${l}`).join('\n')}\n`);
    }
    return 1;
  }
  for (const path of report.written) log(`  wrote   ${path}`);
  for (const path of report.removed) log(`  removed ${path}`);
  log(`${pc.green('generated')} ${result.files.length} files (${report.written.length} changed, ${report.unchanged} unchanged, ${report.removed.length} removed) in ${seconds} s`);
  return 0;
}

/** Registers `arcp generate [--schema DIR] [--out DIR] [--docs DIR] [--check]`. */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('regenerate generated/ and docs/reference/ from schema/ (types, validators, registry, machines, docs)')
    .option('--schema <dir>', 'schema directory (default: <package>/schema)')
    .option('--out <dir>', 'output directory for TypeScript and validators (default in a checkout: <package>/generated; required where arcp-kit is installed as a dependency)')
    .option('--docs <dir>', 'output directory for the Markdown reference (default in a checkout: <package>/docs/reference; required where installed)')
    .option('--check', 'write nothing; exit 1 naming stale files if regenerating would change anything')
    .option('--quiet', 'print only errors')
    .addHelpText('after', `\nExit status: 0 written or up to date, 1 stale (--check), 2 schema problems or a missing --out/--docs where arcp-kit is installed as a dependency, ${TOOLCHAIN_MISSING_EXIT} generator toolchain (${GENERATOR_TOOLCHAIN.join(', ')}) not installed.`)
    .action(async (opts: GenerateOptions) => {
      process.exitCode = await runGenerate(opts);
    });
}
