// The only code that writes generator output. In write mode it updates changed files and
// removes files it no longer generates; in check mode it changes nothing and reports which
// files are stale, with a short unified diff (style.md item 5).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { GENERATED_MARKER } from '../emit/header.js';
import type { OutputFile, OutputRoot } from '../emit/output-file.js';

export type OutputDirs = Readonly<Record<OutputRoot, string>>;

export interface StaleFile {
  /** Absolute path on disk. */
  readonly path: string;
  readonly reason: 'changed' | 'missing' | 'extra';
  /** A unified diff (may be truncated); empty when git is unavailable. */
  readonly diff: string;
}

export interface WriteReport {
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  readonly stale: readonly StaleFile[];
}

const DIFF_LINE_LIMIT = 40;

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Every file under `dir` (recursive), absolute paths; empty if `dir` does not exist. */
function listFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Unified diff via `git diff --no-index` (a diff tool every checkout has), trimmed for display. */
function unifiedDiff(label: string, current: string, expected: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'arcp-check-'));
  try {
    writeFileSync(join(dir, 'committed'), current);
    writeFileSync(join(dir, 'regenerated'), expected);
    let out = '';
    try {
      execFileSync('git', ['diff', '--no-index', '--no-color', '-U2', 'committed', 'regenerated'], { cwd: dir, encoding: 'utf8' });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? '');
    }
    const lines = out.split('\n').slice(2).map((l) =>
      l.replace(/^--- a\/committed$/, `--- ${label} (on disk)`).replace(/^\+\+\+ b\/regenerated$/, `+++ ${label} (regenerated)`));
    return lines.length > DIFF_LINE_LIMIT
      ? `${lines.slice(0, DIFF_LINE_LIMIT).join('\n')}\n... (${lines.length - DIFF_LINE_LIMIT} more diff lines)`
      : lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes (or, with `check`, only compares) `files` under `dirs`. */
export function writeOutputs(files: readonly OutputFile[], dirs: OutputDirs, opts: { check: boolean }): WriteReport {
  const written: string[] = [];
  const stale: StaleFile[] = [];
  const expected = new Set<string>();
  let unchanged = 0;
  for (const file of files) {
    const path = join(dirs[file.root], file.path);
    expected.add(path);
    const current = readOrNull(path);
    if (current === file.contents) {
      unchanged++;
      continue;
    }
    if (opts.check) {
      stale.push({
        path, reason: current === null ? 'missing' : 'changed',
        diff: current === null ? '' : unifiedDiff(relative(process.cwd(), path), current, file.contents),
      });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.contents);
    written.push(path);
  }
  // Files left in an output root that the generator no longer produces (e.g. a removed message).
  // Only files carrying our header are touched, so a mistaken --out never deletes hand-written code.
  const removed: string[] = [];
  const roots = new Set(Object.values(dirs));
  for (const root of roots) {
    for (const path of listFiles(root).sort()) {
      if (expected.has(path) || !(readOrNull(path) ?? '').slice(0, 300).includes(GENERATED_MARKER)) continue;
      if (opts.check) stale.push({ path, reason: 'extra', diff: '' });
      else {
        rmSync(path);
        removed.push(path);
      }
    }
  }
  return { written, removed, unchanged, stale };
}
