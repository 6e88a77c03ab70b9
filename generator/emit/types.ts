// generated/types.ts: the data types, compiled by json-schema-to-typescript from the one bundled
// root schema so every shared def is declared once (style.md items 3 and 7).
import { compile } from 'json-schema-to-typescript';
import type { ProtocolModel } from '../model/ir.js';
import { codeHeader, documentSources } from './header.js';
import type { OutputFile } from './output-file.js';

export async function emitTypes(model: ProtocolModel): Promise<OutputFile[]> {
  // jstt annotates the schema it is given; hand it a private copy so the model stays untouched.
  const schema = structuredClone(model.bundle) as Parameters<typeof compile>[0];
  const body = await compile(schema, 'ArcpMessage', {
    bannerComment: '',
    // Index signatures would make every typo type-check; objects stay open on the wire (§5).
    additionalProperties: false,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    unknownAny: true,
    format: true,
    style: { printWidth: 110, singleQuote: true },
    $refOptions: { resolve: { external: false } } as never,
  });
  return [{ root: 'generated', path: 'types.ts', contents: `${codeHeader(documentSources(model.sources))}\n${body}` }];
}
