// docs/reference/*.md: the Markdown protocol reference, rendered by handlebars templates in
// generator/templates/ (compiled with noEscape, strict, knownHelpersOnly: style.md item 3).
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { FieldModel, MachineModel, ProtocolModel, VariantModel } from '../model/ir.js';
import { markdownHeader } from './header.js';
import type { OutputFile } from './output-file.js';

const PAGES = ['index', 'messages', 'events', 'errors', 'features', 'machines'] as const;
type Page = (typeof PAGES)[number];

const handlebars = Handlebars.create();
handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));

const compiled = new Map<Page, HandlebarsTemplateDelegate>();
function template(page: Page): HandlebarsTemplateDelegate {
  let t = compiled.get(page);
  if (t === undefined) {
    const source = readFileSync(new URL(`../templates/${page}.md.hbs`, import.meta.url), 'utf8');
    t = handlebars.compile(source, { noEscape: true, strict: true, knownHelpersOnly: true, knownHelpers: { json: true } });
    compiled.set(page, t);
  }
  return t;
}

/** Markdown table cells cannot hold raw `|` or newlines. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/(?<!\\)\|/g, '\\|');
}

function codeList(values: readonly string[]): string {
  return values.length === 0 ? '—' : values.map((v) => `\`${v}\``).join(', ');
}

function fieldRows(fields: readonly FieldModel[]) {
  return fields.map((f) => ({
    pointer: f.pointer,
    summary: cell(f.summary),
    required: f.required ? 'yes' : 'no',
    notes: cell([f.acceptOnly ? 'accepted on input only (alias; never sent)' : '', f.description].filter(Boolean).join('. ')),
  }));
}

function variantRows(variants: readonly VariantModel[]) {
  return variants.map((v) => ({ why: cell(v.why), source: cell(v.source) || '—', strict: v.strict, lenient: v.lenient }));
}

/** A mermaid stateDiagram built from the transition table, so the picture cannot drift (style.md item 10). */
export function mermaidDiagram(machine: MachineModel): string {
  const lines = ['stateDiagram-v2', `  [*] --> ${machine.initial}`];
  for (const t of machine.transitions) lines.push(`  ${t.from} --> ${t.to}: ${t.event}`);
  for (const s of machine.terminal) lines.push(`  ${s} --> [*]`);
  return lines.join('\n');
}

function views(model: ProtocolModel): Record<Page, object> {
  const header = markdownHeader(model.sources);
  const flag = (feature: string | null) => (feature === null ? '—' : `\`${feature}\``);
  return {
    index: {
      header, version: model.protocolVersion, messageCount: model.messages.length, eventCount: model.eventKinds.length,
      errorCount: model.errorCodes.length, featureCount: model.features.length, machines: model.machines,
    },
    messages: {
      header,
      envelopeSource: model.envelope.source.path,
      envelopeFields: fieldRows(model.envelopeFields),
      messages: model.messages.map((m) => ({
        type: m.type, anchor: m.names.anchor, typeName: m.names.typeName, payloadName: m.names.payloadName,
        sourcePath: m.source.path, description: m.description, legacy: m.legacy, spec: m.spec,
        direction: m.direction.replace(/_/g, ' '), feature: flag(m.feature), sequenced: m.sequenced ? 'yes' : 'no',
        replies: codeList(m.replies), answers: codeList(m.answers), correlation: m.correlation,
        fields: fieldRows(m.fields), examples: m.examples, variants: variantRows(m.variants),
      })),
    },
    events: {
      header,
      events: model.eventKinds.map((e) => ({
        kind: e.kind, anchor: e.names.anchor, typeName: e.names.typeName, sourcePath: e.source.path,
        description: e.description, spec: e.spec, feature: flag(e.feature), fields: fieldRows(e.fields), examples: e.examples,
        variants: variantRows(e.variants),
      })),
    },
    errors: {
      header,
      errors: model.errorCodes.map((c) => ({
        code: c.code, retryable: c.retryable ? 'true' : 'false', pinned: c.pinned ? 'yes' : 'no', meaning: cell(c.meaning),
      })),
    },
    features: {
      header,
      features: model.features.map((f) => ({
        name: f.name, spec: f.spec, gates: cell(f.gates),
        messages: codeList(model.messages.filter((m) => m.feature === f.name).map((m) => m.type)),
        events: codeList(model.eventKinds.filter((e) => e.feature === f.name).map((e) => e.kind)),
      })),
    },
    machines: {
      header,
      machines: model.machines.map((m) => ({
        name: m.name, spec: m.spec || '—', initial: m.initial, terminal: codeList(m.terminal),
        mermaid: mermaidDiagram(m), transitions: m.transitions.map((t) => ({ ...t, trigger: cell(t.trigger) })),
      })),
    },
  };
}

export function emitDocs(model: ProtocolModel): OutputFile[] {
  const data = views(model);
  return PAGES.map((page) => ({
    root: 'docs' as const,
    path: `${page === 'index' ? 'README' : page}.md`,
    contents: `${template(page)(data[page]).replace(/\n{3,}/g, '\n\n').replace(/\s+$/, '')}\n`,
  }));
}
