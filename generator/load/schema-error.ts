// Loader failures name the schema file and the broken rule, so a schema author can fix the
// source without reading generator code. All problems are collected, then reported at once.

/** One broken authoring rule in one schema/ file. */
export interface SchemaProblem {
  /** Path such as `schema/messages/job.submit.json`. */
  readonly file: string;
  readonly message: string;
}

/** Thrown by the loader when schema/ cannot be turned into a model. */
export class SchemaLoadError extends Error {
  readonly problems: readonly SchemaProblem[];

  constructor(problems: readonly SchemaProblem[]) {
    const lines = problems.map((p) => `  ${p.file}: ${p.message}`);
    super(`schema/ has ${problems.length} problem(s):\n${lines.join('\n')}`);
    this.name = 'SchemaLoadError';
    this.problems = problems;
  }
}

/** Collects problems while checking; throws once at the end if there were any. */
export class ProblemList {
  private readonly problems: SchemaProblem[] = [];

  add(file: string, message: string): void {
    this.problems.push({ file, message });
  }

  get size(): number {
    return this.problems.length;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new SchemaLoadError(this.problems);
  }
}
