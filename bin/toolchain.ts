// The generator's and the harness's toolchains are optional peer dependencies: an embedder who
// only runs the client or runtime never installs them. A command that needs them checks first
// and names the one install command, instead of failing deep inside an import.
import { createRequire } from 'node:module';

/** What `arcp generate` loads (generator/): schema compilation, type emission, doc templates. */
export const GENERATOR_TOOLCHAIN = ['ajv', 'ajv-formats', 'handlebars', 'json-schema-to-typescript', 'ts-morph'] as const;
/** What `arcp conformance` loads (conformance/): property testing and the HTML report. */
export const HARNESS_TOOLCHAIN = ['fast-check', 'handlebars'] as const;
/** Exit status when a command's toolchain is not installed (sysexits EX_UNAVAILABLE). */
export const TOOLCHAIN_MISSING_EXIT = 69;

const resolveFromHere = createRequire(import.meta.url);

/** The packages of `names` that do not resolve from arcp-kit's own location. */
export function missingPackages(names: readonly string[], resolve: (name: string) => unknown = resolveFromHere.resolve): string[] {
  return names.filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** The message naming the one command that installs what is missing. */
export function toolchainHint(command: string, missing: readonly string[], all: readonly string[]): string {
  return [
    `${command} needs ${missing.join(', ')}, optional peer dependencies of arcp-kit that are not installed.`,
    `Install the toolchain next to arcp-kit with:`,
    ``,
    `  npm install --save-dev ${all.join(' ')}`,
    ``,
  ].join('\n');
}

/** Exits with TOOLCHAIN_MISSING_EXIT and the install hint when part of `toolchain` is missing. */
export function requireToolchain(command: string, toolchain: readonly string[]): void {
  const missing = missingPackages(toolchain);
  if (missing.length === 0) return;
  process.stderr.write(toolchainHint(command, missing, toolchain));
  process.exit(TOOLCHAIN_MISSING_EXIT);
}
