// Shared ts-morph setup for the emitters that print TypeScript with logic or imports
// (style.md item 3): an in-memory project, fixed formatting, and a JSON-literal printer.
import { IndentationText, Project, QuoteKind, type SourceFile } from 'ts-morph';

let project: Project | undefined;

/** A fresh in-memory source file; the caller fills it with ts-morph structures. */
export function newSourceFile(name: string): SourceFile {
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
  });
  return project.createSourceFile(`/${name}`, '', { overwrite: true });
}

/** Prints data as a TypeScript literal: deterministic, 2-space indented JSON. */
export function literal(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Final text of a source file: header first, single trailing newline. */
export function printSource(header: string, file: SourceFile): string {
  // The TypeScript formatter re-indents inserted literals, so nested data lines up with its code.
  file.formatText({ indentSize: 2, tabSize: 2, convertTabsToSpaces: true });
  return `${header}${file.getFullText().replace(/\s+$/, '')}\n`;
}
