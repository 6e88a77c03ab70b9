// Loader failures name the schema file, the JSON pointer inside it and the fix, so a schema author
// can repair the source without reading generator code. All problems are collected, then reported
// at once.

/** One broken authoring rule in one schema/ file. */
export interface SchemaProblem {
  /** Path such as `schema/messages/job.submit.json`. */
  readonly file: string;
  readonly message: string;
  /** JSON pointer of the offending value inside `file` (`/x-arcp/replies`); `''` is the whole file. */
  readonly pointer: string;
  /** What to change so the rule holds. */
  readonly fix: string;
}

/** Both are required, so no rule can be added that leaves the author guessing (issue 14 item 2). */
export interface ProblemDetail {
  readonly pointer: string;
  readonly fix: string;
}

function render(p: SchemaProblem): string {
  const where = p.pointer === '' ? p.file : `${p.file}#${p.pointer}`;
  return `  ${where}: ${p.message}\n      fix: ${p.fix}`;
}

/** Thrown by the loader when schema/ cannot be turned into a model. */
export class SchemaLoadError extends Error {
  readonly problems: readonly SchemaProblem[];

  constructor(problems: readonly SchemaProblem[]) {
    super(`schema/ has ${problems.length} problem(s):\n${problems.map(render).join('\n')}`);
    this.name = 'SchemaLoadError';
    this.problems = problems;
  }
}

/** Collects problems while checking; throws once at the end if there were any. */
export class ProblemList {
  private readonly problems: SchemaProblem[] = [];

  add(file: string, message: string, detail: ProblemDetail): void {
    this.problems.push({ file, message, ...detail });
  }

  get size(): number {
    return this.problems.length;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new SchemaLoadError(this.problems);
  }
}
