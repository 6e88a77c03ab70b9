// `arcp schema diff OLD NEW`: classifies every wire-visible change between two schema trees (or
// git revisions) as breaking or compatible for the peers already deployed, like `buf breaking`
// for protobuf. Exit 0 compatible, 1 breaking, 2 usage error or a tree that does not load.
import type { Command } from 'commander';
import pc from 'picocolors';

interface DiffOptions {
  json?: boolean;
  lenientPeers?: boolean;
  repo?: string;
}

export async function runSchemaDiff(before: string, after: string, opts: DiffOptions): Promise<number> {
  const { loadProtocolShapes, SchemaLoadError } = await import('../../generator/load/index.js');
  const { openSchemaSource, SchemaSourceError } = await import('../../generator/diff/schema-source.js');
  const { diffProtocols } = await import('../../generator/diff/protocol-diff.js');
  const { renderDiff } = await import('../../generator/diff/render-diff.js');
  const repo = opts.repo ?? process.cwd();
  const sources: { dir: string; label: string; cleanup(): void }[] = [];
  try {
    for (const operand of [before, after]) sources.push(openSchemaSource(operand, repo));
    const [a, b] = sources.map((s) => loadProtocolShapes(s.dir)) as [ReturnType<typeof loadProtocolShapes>, ReturnType<typeof loadProtocolShapes>];
    const diff = diffProtocols(a, b);
    const counted = diff.changes.filter((c) => c.breaking && !(opts.lenientPeers === true && c.strictOnly)).length;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ before: sources[0]!.label, after: sources[1]!.label, breaking: counted, changes: diff.changes }, null, 2)}\n`);
    } else {
      process.stdout.write(renderDiff(diff, { before: sources[0]!.label, after: sources[1]!.label }, { lenientPeers: opts.lenientPeers === true }));
    }
    return counted > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof SchemaSourceError) {
      process.stderr.write(`${pc.red('arcp schema diff:')} ${err.message}\n`);
      return 2;
    }
    if (err instanceof SchemaLoadError) {
      process.stderr.write(`${pc.red('arcp schema diff: a tree does not load')}\n${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    for (const s of sources) s.cleanup();
  }
}

/** Registers `arcp schema diff OLD NEW [--json] [--lenient-peers]`. */
export function registerSchema(program: Command): void {
  const schema = program.command('schema').description('work with schema trees (see schema/README.md)');
  schema
    .command('diff')
    .argument('<old>', 'schema directory or git revision (REV or REV:PATH, default PATH schema)')
    .argument('<new>', 'schema directory or git revision')
    .description('classify every wire-visible change as breaking or compatible for deployed peers; exit 1 on a breaking change')
    .option('--json', 'print the changes as JSON')
    .option('--lenient-peers', 'count only changes that break receivers validating leniently (ignore strict-only breaks)')
    .option('--repo <dir>', 'git repository for revision operands (default: the current directory)')
    .addHelpText('after', `
Examples:
  arcp schema diff main schema            # the working tree's schema/ against main's
  arcp schema diff v1.1.0 HEAD --json     # two revisions, machine-readable
  arcp schema diff ../old/schema schema   # two directories

Exit codes: 0 compatible, 1 breaking change, 2 usage error or a tree that does not load.`)
    .action(async (before: string, after: string, opts: DiffOptions) => {
      process.exitCode = await runSchemaDiff(before, after, opts);
    });
}
