// The whole-message fast verdict of generated/validators.fast.ts: one `switch` on `type` (and, for
// the event carrier, on `payload.kind`) straight to the fast verdicts, so validateMessage accepts a
// valid frame in one call. The table path it short-cuts (hasOwnProperty, two keyed lookups, a run()
// and a validateEventBody verdict object per frame) cost more than the checks themselves on the
// hot `job.event` path (bench/validate). Like every fast verdict it only ever answers `true` when
// the full path would accept; anything else returns `false` and the full path decides.
import type { ProtocolModel } from '../model/ir.js';
import type { Mode } from './validators-code.js';

export interface DispatchInput {
  model: ProtocolModel;
  mode: Mode;
  /** Validator export name -> fast verdict function name (the mode's FAST_VERDICTS table). */
  table: Readonly<Record<string, string>>;
  /** The wire type whose payload carries an event body checked by kind (null: its schema does it). */
  carrier: string | null;
}

/** Emits `<p>_message` (and `<p>_event_body` when bodies are dispatched); returns code and root name. */
export function compileFastDispatch({ model, mode, table, carrier }: DispatchInput): { code: string; root: string } {
  const p = mode === 'strict' ? 's' : 'l';
  const root = `${p}_message`;
  const bodyFn = `${p}_event_body`;
  const cases: string[] = [];
  let dispatchesBodies = false;
  // Strict rejects legacy types whatever their shape, so they never get a fast `true`.
  for (const m of [...model.messages].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))) {
    const fn = table[m.names.typeName];
    if (fn === undefined || (mode === 'strict' && m.legacy)) continue;
    if (m.type === carrier) dispatchesBodies = true;
    const body = m.type === carrier ? ` && ${bodyFn}(d["payload"])` : '';
    cases.push(`    case ${JSON.stringify(m.type)}: return ${fn}(d)${body};`);
  }
  const parts = [`function ${root}(d: any): boolean {
  if (d === null || typeof d !== "object") return false;
  switch (d["type"]) {
${cases.join('\n')}
    default: return false;
  }
}`];
  if (dispatchesBodies) {
    // A reserved kind without a fast verdict returns false (the full path runs ajv on it);
    // any other string kind is unknown, which validateEventBody reports but never fails.
    const kinds = [...model.eventKinds].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
      .map((e) => `    case ${JSON.stringify(e.kind)}: return ${table[e.names.typeName] === undefined ? 'false' : `${table[e.names.typeName]}(p["body"])`};`);
    parts.push(`function ${bodyFn}(p: any): boolean {
  if (p === null || typeof p !== "object" || typeof p["kind"] !== "string") return false;
  switch (p["kind"]) {
${kinds.join('\n')}
    default: return true;
  }
}`);
  }
  return { code: parts.join('\n'), root };
}
