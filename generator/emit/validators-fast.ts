// generated/validators.fast.ts: plain boolean "fast verdict" functions compiled from the strict and
// lenient schemas, so validateMessage answers a valid frame without ajv's allErrors machinery
// (issue 2 bench/validate: per-call option objects, error paths, anyOf error objects). A fast
// verdict is only an accelerator: `false` makes validators.ts run ajv, which stays the authority
// and the only source of issues. Any keyword this compiler does not know makes it emit NO fast
// function for that schema (ajv alone handles it) — it never guesses.
import { createHash } from 'node:crypto';
import type { Json, JsonObject, ProtocolModel, SchemaDoc } from '../model/ir.js';
import { codeHeader, documentSources } from './header.js';
import type { OutputFile } from './output-file.js';
import { EVENT_CARRIER } from '../model/event-carrier.js';
import { carrierDispatchesBodies } from './validators-api.js';
import { compileFastDispatch } from './validators-fast-dispatch.js';
import { validatorExports, type Mode } from './validators-code.js';

/** Keywords that never affect a verdict (the x-arcp vocabulary is registered as annotations). */
const ANNOTATIONS = new Set([
  '$schema', '$comment', '$defs', 'definitions', 'title', 'description', 'examples', 'default',
  'deprecated', 'readOnly', 'writeOnly', 'x-arcp', 'x-arcp-accept', 'x-arcp-accept-optional', 'x-arcp-accept-extra',
]);
/** Keywords compiled below; anything else is unsupported. */
const COMPILED = new Set([
  'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minLength', 'maxLength',
  'minimum', 'maximum', 'pattern', 'anyOf', 'oneOf', 'allOf', 'not', 'if', 'then', 'else', '$ref',
  'dependentRequired', 'propertyNames', '$id',
]);

/** Keywords the inline-expression form handles (a subset of COMPILED). */
const INLINE = new Set(['type', 'const', 'enum', 'minLength', 'pattern', 'required', 'properties', '$ref']);

class Unsupported extends Error {}

/** ajv's type checks (strictNumbers: numbers must be finite), so verdicts match exactly. */
function typeCheck(type: string, d: string): string {
  switch (type) {
    case 'object': return `(${d} !== null && typeof ${d} === "object" && !Array.isArray(${d}))`;
    case 'array': return `Array.isArray(${d})`;
    case 'string': return `typeof ${d} === "string"`;
    case 'number': return `(typeof ${d} === "number" && isFinite(${d}))`;
    case 'integer': return `(typeof ${d} === "number" && !(${d} % 1) && !isNaN(${d}) && isFinite(${d}))`;
    case 'boolean': return `typeof ${d} === "boolean"`;
    case 'null': return `${d} === null`;
    default: throw new Unsupported(`type ${type}`);
  }
}

function isPrimitive(v: Json): boolean {
  return v === null || typeof v !== 'object';
}

function primitiveLiteral(v: Json): string {
  if (!isPrimitive(v)) throw new Unsupported('const/enum with an object or array value');
  return JSON.stringify(v);
}

const key = (k: string) => JSON.stringify(k);

/**
 * Identifier for the subschema at `pointer` of document `id` (`s_events_log__properties_level`).
 * Names come from where a schema lives, not from the order the compiler met it, so a schema
 * change renames nothing elsewhere and the generated diff stays local (issue 14 item 3).
 */
function locationName(prefix: string, id: string, pointer: string): string {
  const doc = id.replace(/^[a-z]+:\/\/[^/]+\/(schema\/)?/, '').replace(/\.json$/, '');
  const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  // `properties` segments carry no information a reader needs and double the length of names.
  const path = pointer.split('/').filter((p) => p !== 'properties').join('/');
  return path === '' ? `${prefix}_${slug(doc)}` : `${prefix}_${slug(doc)}__${slug(path)}`;
}

/** Compiles one mode's schemas; every subschema becomes one small function named after its location. */
class FastCompiler {
  private readonly docs: Map<string, Json>;
  private readonly names = new Map<object, string>();
  private readonly bodies = new Map<string, string>();
  private readonly deps = new Map<string, Set<string>>();
  private readonly failed = new Set<string>();
  readonly regexps = new Map<string, string>();
  private readonly locations = new Map<object, string>();
  private readonly taken = new Set<string>();

  constructor(docs: readonly SchemaDoc[], private readonly prefix: string, private readonly regexpPrefix: string) {
    this.docs = new Map(docs.map((d) => [d.id, d.schema as Json]));
    for (const d of [...docs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) this.locate(d.schema as Json, d.id, '');
  }

  private locate(node: Json, id: string, pointer: string): void {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node) && !this.locations.has(node)) {
      let name = locationName(this.prefix, id, pointer);
      for (let i = 2; this.taken.has(name); i++) name = `${locationName(this.prefix, id, pointer)}_${i}`;
      this.taken.add(name);
      this.locations.set(node, name);
    }
    for (const [k, v] of Object.entries(node)) this.locate(v as Json, id, `${pointer}/${k}`);
  }

  /** Name of the function for the document `id`, or null when it (or anything it reaches) is unsupported. */
  root(id: string): string | null {
    const doc = this.docs.get(id);
    if (doc === undefined) return null;
    try {
      return this.fn(doc, id, '');
    } catch (e) {
      if (e instanceof Unsupported) return null;
      throw e;
    }
  }

  /** The functions that survived: a function whose callees failed is dropped too. */
  functions(): [string, string][] {
    let changed = true;
    while (changed) {
      changed = false;
      for (const [name, callees] of this.deps) {
        if (this.failed.has(name)) continue;
        if ([...callees].some((c) => this.failed.has(c) || !this.bodies.has(c))) {
          this.failed.add(name);
          changed = true;
        }
      }
    }
    return [...this.bodies].filter(([name]) => !this.failed.has(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private fn(schema: Json, base: string, owner: string): string {
    if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
      throw new Unsupported('not a schema');
    }
    const identity = schema as object;
    const known = this.names.get(identity);
    if (known !== undefined) {
      if (owner !== '') this.deps.get(owner)?.add(known);
      return known;
    }
    const name = this.locations.get(identity);
    if (name === undefined) throw new Unsupported('schema outside every document');
    this.names.set(identity, name);
    this.deps.set(name, new Set());
    if (owner !== '') this.deps.get(owner)?.add(name);
    try {
      this.bodies.set(name, this.body(schema as boolean | JsonObject, base, name));
    } catch (e) {
      this.failed.add(name);
      throw e;
    }
    return name;
  }

  /** Rough run-time cost of a call expression: body size, RegExp tests weigh most; callees included. */
  private cost(call: string, seen = new Set<string>()): number {
    const name = /^([A-Za-z_]\w*)\(/.exec(call)?.[1];
    if (name === undefined || !this.deps.has(name)) return call.length + 200 * (call.split('.test(').length - 1);
    const body = this.bodies.get(name);
    if (body === undefined || seen.has(name)) return 1000;
    seen.add(name);
    let total = body.length + 200 * (body.split('.test(').length - 1);
    for (const callee of this.deps.get(name) ?? []) total += this.cost(`${callee}(`, seen);
    return total;
  }

  /** A subschema that can never fail needs no call. */
  private trivial(schema: Json): boolean {
    return schema === true || (typeof schema === 'object' && schema !== null && !Array.isArray(schema)
      && Object.keys(schema).every((k) => ANNOTATIONS.has(k)));
  }

  private call(schema: Json, base: string, owner: string, d: string, hops = 0): string | null {
    if (this.trivial(schema)) return null;
    if (hops > 32) throw new Unsupported('$ref chain too deep (cycle of bare $refs)');
    // A bare `{$ref}` wrapper calls its target directly (one call per level less on the hot path).
    const keys = typeof schema === 'object' && schema !== null && !Array.isArray(schema)
      ? Object.keys(schema).filter((k) => !ANNOTATIONS.has(k)) : [];
    if (keys.length === 1 && keys[0] === '$ref' && typeof (schema as JsonObject).$ref === 'string') {
      const target = this.resolve((schema as JsonObject).$ref as string, base);
      return this.call(target.schema, target.base, owner, d, hops + 1);
    }
    return this.inline(schema, base, d, 0) ?? `${this.fn(schema, base, owner)}(${d})`;
  }

  /**
   * A small schema as one pure boolean expression over `x` (no call, so V8's inlining budget goes
   * to the bigger functions), or null to use a function. Same keyword semantics as body().
   */
  private inline(json: Json, base: string, x: string, depth: number): string | null {
    if (json === true) return 'true';
    if (json === false) return 'false';
    if (depth > 3 || typeof json !== 'object' || json === null || Array.isArray(json)) return null;
    const schema = json as JsonObject;
    const keys = Object.keys(schema).filter((k) => !ANNOTATIONS.has(k));
    if (!keys.every((k) => INLINE.has(k))) return null;
    const parts: string[] = [];
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type as Json[] : [schema.type];
    if (!types.every((t) => typeof t === 'string')) return null;
    const only = (t: string) => types.length === 1 && types[0] === t;
    try {
      if (types.length > 0) parts.push(`(${types.map((t) => typeCheck(String(t), x)).join(' || ')})`);
      if (schema.const !== undefined) parts.push(`${x} === ${primitiveLiteral(schema.const)}`);
      if (schema.enum !== undefined) {
        if (!Array.isArray(schema.enum) || schema.enum.length === 0) return null;
        parts.push(`(${(schema.enum as Json[]).map((v) => `${x} === ${primitiveLiteral(v)}`).join(' || ')})`);
      }
    } catch (e) {
      if (e instanceof Unsupported) return null;
      throw e;
    }
    const strings: string[] = [];
    if (schema.minLength !== undefined) {
      if (typeof schema.minLength !== 'number' || schema.minLength > 1) return null;
      strings.push(`${x}.length >= ${schema.minLength}`);
    }
    if (schema.pattern !== undefined) {
      if (typeof schema.pattern !== 'string') return null;
      strings.push(`${this.regexp(schema.pattern)}.test(${x})`);
    }
    if (strings.length > 0) parts.push(only('string') ? strings.join(' && ') : `(typeof ${x} !== "string" || (${strings.join(' && ')}))`);
    const objects: string[] = [];
    if (schema.required !== undefined) {
      if (!Array.isArray(schema.required)) return null;
      for (const k of schema.required as string[]) objects.push(`${x}[${key(k)}] !== undefined`);
    }
    if (schema.properties !== undefined) {
      if (typeof schema.properties !== 'object' || schema.properties === null || Array.isArray(schema.properties)) return null;
      for (const [k, sub] of Object.entries(schema.properties)) {
        const e = this.inline(sub, base, `${x}[${key(k)}]`, depth + 1);
        if (e === null) return null;
        if (e !== 'true') objects.push(`(${x}[${key(k)}] === undefined || ${e})`);
      }
    }
    if (objects.length > 0) {
      parts.push(only('object') ? objects.join(' && ') : `(!${typeCheck('object', x)} || (${objects.join(' && ')}))`);
    }
    if (schema.$ref !== undefined) {
      if (typeof schema.$ref !== 'string') return null;
      const target = this.resolve(schema.$ref, base);
      const e = this.inline(target.schema, target.base, x, depth + 1);
      if (e === null) return null;
      parts.push(e);
    }
    const expr = parts.length === 0 ? 'true' : parts.join(' && ');
    return expr.length > 400 ? null : `(${expr})`;
  }

  private regexp(source: string): string {
    let name = this.regexps.get(source);
    if (name === undefined) {
      name = `${this.regexpPrefix}_${createHash('sha256').update(source).digest('hex').slice(0, 8)}`;
      this.regexps.set(source, name);
    }
    return name;
  }

  private resolve(ref: string, base: string): { schema: Json; base: string } {
    const url = new URL(ref, base);
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = '';
    const docId = url.href;
    let node = this.docs.get(docId);
    if (node === undefined) throw new Unsupported(`$ref to unknown document ${docId}`);
    if (fragment !== '') {
      if (!fragment.startsWith('/')) throw new Unsupported(`$ref anchor ${ref}`);
      for (const raw of fragment.slice(1).split('/')) {
        const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (node === null || typeof node !== 'object' || Array.isArray(node) || !(part in node)) {
          throw new Unsupported(`$ref ${ref} does not resolve`);
        }
        node = (node as JsonObject)[part];
      }
    }
    return { schema: node, base: docId };
  }

  private body(schema: boolean | JsonObject, base: string, self: string): string {
    if (schema === true) return 'return true;';
    if (schema === false) return 'return false;';
    for (const k of Object.keys(schema)) {
      if (!ANNOTATIONS.has(k) && !COMPILED.has(k)) throw new Unsupported(`keyword ${k}`);
    }
    // Only document roots may carry $id (all refs resolve against the document's $id).
    if (schema.$id !== undefined && schema.$id !== base) throw new Unsupported('nested $id');
    const lines: string[] = [];
    const fail = (cond: string) => lines.push(`if (${cond}) return false;`);
    const sub = (s: Json) => this.call(s, base, self, 'd');
    const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string];
    if (schema.type !== undefined) fail(`!(${types.map((t) => typeCheck(String(t), 'd')).join(' || ')})`);
    if (schema.const !== undefined) fail(`d !== ${primitiveLiteral(schema.const)}`);
    if (schema.enum !== undefined) {
      if (!Array.isArray(schema.enum)) throw new Unsupported('enum');
      fail(`!(${(schema.enum as Json[]).map((v) => `d === ${primitiveLiteral(v)}`).join(' || ') || 'false'})`);
    }
    const only = (t: string) => types.length === 1 && types[0] === t;
    this.objectKeywords(schema, base, self, only('object'), lines);
    if (schema.items !== undefined) {
      if (Array.isArray(schema.items)) throw new Unsupported('tuple items');
      const item = this.call(schema.items, base, self, 'd[i]');
      if (item !== null) {
        lines.push(`if (Array.isArray(d)) for (let i = 0; i < d.length; i++) if (!${item}) return false;`);
      }
    }
    const strings: string[] = [];
    if (typeof schema.minLength === 'number') {
      const n = schema.minLength;
      // Lengths are code points (ajv ucs2length); UTF-16 length >= 2n already implies n code points.
      strings.push(n <= 1 ? `d.length < ${n}` : `(d.length < ${2 * n} && cpLength(d) < ${n})`);
    } else if (schema.minLength !== undefined) throw new Unsupported('minLength');
    if (typeof schema.maxLength === 'number') strings.push(`(d.length > ${schema.maxLength} && cpLength(d) > ${schema.maxLength})`);
    else if (schema.maxLength !== undefined) throw new Unsupported('maxLength');
    if (typeof schema.pattern === 'string') strings.push(`!${this.regexp(schema.pattern)}.test(d)`);
    else if (schema.pattern !== undefined) throw new Unsupported('pattern');
    if (strings.length > 0) fail(`${only('string') ? '' : 'typeof d === "string" && '}(${strings.join(' || ')})`);
    const numbers: string[] = [];
    if (typeof schema.minimum === 'number') numbers.push(`!(d >= ${schema.minimum})`);
    else if (schema.minimum !== undefined) throw new Unsupported('minimum');
    if (typeof schema.maximum === 'number') numbers.push(`!(d <= ${schema.maximum})`);
    else if (schema.maximum !== undefined) throw new Unsupported('maximum');
    if (numbers.length > 0) fail(`typeof d === "number" && (${numbers.join(' || ')})`);
    if (typeof schema.$ref === 'string') {
      const target = this.resolve(schema.$ref, base);
      if (!this.trivial(target.schema)) fail(`!${this.fn(target.schema, target.base, self)}(d)`);
    } else if (schema.$ref !== undefined) throw new Unsupported('$ref');
    const list = (k: string): Json[] => {
      const v = schema[k];
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.length === 0) throw new Unsupported(k);
      return v as Json[];
    };
    for (const s of list('allOf')) {
      // An if/then-only branch (job.event's per-kind body dispatch) is emitted in place: no call per kind.
      const branchKeys = typeof s === 'object' && s !== null && !Array.isArray(s) ? Object.keys(s).filter((k) => !ANNOTATIONS.has(k)) : [];
      if (branchKeys.length > 0 && branchKeys.every((k) => k === 'if' || k === 'then' || k === 'else')) {
        this.ifThenElse(s as JsonObject, sub, lines);
        continue;
      }
      const c = sub(s);
      if (c !== null) fail(`!${c}`);
    }
    const anyOf = list('anyOf');
    if (anyOf.length > 0) {
      const calls = anyOf.map(sub);
      // Branches are pure booleans, so cheap ones (e.g. lenient minLength before a strict id pattern) go first.
      if (!calls.includes(null)) fail(`!(${(calls as string[]).map((c, i) => [this.cost(c), i, c] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]).join(' || ')})`);
    }
    const oneOf = list('oneOf');
    if (oneOf.length > 0) {
      const calls = oneOf.map((s) => sub(s) ?? 'true');
      lines.push(`{ let n = 0; ${calls.map((c) => `if (${c}) n++;`).join(' ')} if (n !== 1) return false; }`);
    }
    if (schema.not !== undefined) {
      const c = sub(schema.not);
      fail(c ?? 'true');
    }
    this.ifThenElse(schema, sub, lines);
    lines.push('return true;');
    return lines.join('\n  ');
  }

  /** `if`/`then`/`else` of `schema` as statements over `d` (no-op without `if`, as in JSON Schema). */
  private ifThenElse(schema: JsonObject, sub: (s: Json) => string | null, lines: string[]): void {
    if (schema.if === undefined) return;
    const cond = sub(schema.if) ?? 'true';
    const then = schema.then === undefined ? null : sub(schema.then);
    const otherwise = schema.else === undefined ? null : sub(schema.else);
    if (then === null && otherwise === null) return;
    lines.push(`if (${cond}) { ${then === null ? '' : `if (!${then}) return false;`} }`
      + `${otherwise === null ? '' : ` else if (!${otherwise}) return false;`}`);
  }

  private objectKeywords(schema: JsonObject, base: string, self: string, isObject: boolean, out: string[]): void {
    const lines: string[] = [];
    if (schema.required !== undefined) {
      if (!Array.isArray(schema.required)) throw new Unsupported('required');
      const missing = (schema.required as string[]).map((k) => `d[${key(k)}] === undefined`);
      if (missing.length > 0) lines.push(`if (${missing.join(' || ')}) return false;`);
    }
    const props = (schema.properties ?? {}) as JsonObject;
    if (typeof props !== 'object' || Array.isArray(props)) throw new Unsupported('properties');
    for (const [name, s] of Object.entries(props)) {
      const c = this.call(s, base, self, `d[${key(name)}]`);
      if (c !== null) lines.push(`if (d[${key(name)}] !== undefined && !${c}) return false;`);
    }
    if (schema.dependentRequired !== undefined) {
      for (const [name, needs] of Object.entries(schema.dependentRequired as JsonObject)) {
        if (!Array.isArray(needs)) throw new Unsupported('dependentRequired');
        if (needs.length === 0) continue;
        lines.push(`if (d[${key(name)}] !== undefined && (${(needs as string[]).map((k) => `d[${key(k)}] === undefined`).join(' || ')})) return false;`);
      }
    }
    const extra = schema.additionalProperties;
    const names = schema.propertyNames;
    if ((extra !== undefined && !this.trivial(extra)) || (names !== undefined && !this.trivial(names))) {
      const checks: string[] = [];
      if (names !== undefined && !this.trivial(names)) checks.push(`if (!${this.fn(names, base, self)}(k)) return false;`);
      if (extra !== undefined && !this.trivial(extra)) {
        const listed = Object.keys(props).map((k) => `k === ${key(k)}`).join(' || ');
        const action = extra === false ? 'return false;' : `if (!${this.fn(extra, base, self)}(d[k])) return false;`;
        checks.push(listed === '' ? action : `if (!(${listed})) ${action.startsWith('if') ? `{ ${action} }` : action}`);
      }
      // ajv iterates `for (const key in data)` too, so inherited enumerable keys count alike.
      lines.push(`for (const k in d) { ${checks.join(' ')} }`);
    }
    if (lines.length === 0) return;
    if (isObject) out.push(...lines);
    else out.push(`if (d !== null && typeof d === "object" && !Array.isArray(d)) {\n    ${lines.join('\n    ')}\n  }`);
  }
}

/** ajv's ucs2length: a surrogate pair counts as one character. */
const CP_LENGTH = `function cpLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; n++) {
    const c = s.charCodeAt(i++);
    if (c >= 0xd800 && c <= 0xdbff && i < s.length && (s.charCodeAt(i) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}`;

export interface ModeOutput { code: string[]; table: Record<string, string>; fallbacks: string[] }

/** Compiles `exports` (export name -> schema `$id`) of one mode; exported for the fallback test. */
export function compileFastVerdicts(exports: Record<string, string>, mode: Mode, docs: readonly SchemaDoc[]): ModeOutput {
  const prefix = mode === 'strict' ? 's' : 'l';
  const compiler = new FastCompiler(docs, `${prefix}`, `${prefix.toUpperCase()}_RE`);
  const roots: [string, string | null][] = Object.entries(exports).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, id]) => [name, compiler.root(id)]);
  const kept = new Set(compiler.functions().map(([n]) => n));
  const table: Record<string, string> = {};
  const fallbacks: string[] = [];
  for (const [name, fn] of roots) {
    if (fn !== null && kept.has(fn)) table[name] = fn;
    else fallbacks.push(name);
  }
  const code = [
    ...[...compiler.regexps].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([source, name]) => `const ${name} = new RegExp(${JSON.stringify(source)}, "u");`),
    ...compiler.functions().map(([name, body]) => `function ${name}(d: any): boolean {\n  ${body}\n}`),
  ];
  return { code, table, fallbacks };
}

function tableLiteral(table: Record<string, string>): string {
  return `{\n${Object.entries(table).map(([k, v]) => `    ${JSON.stringify(k)}: ${v},`).join('\n')}\n  }`;
}

export function emitValidatorFast(model: ProtocolModel): OutputFile[] {
  const strict = compileFastVerdicts(validatorExports(model), 'strict', model.strictSchemas);
  const lenient = compileFastVerdicts(validatorExports(model), 'lenient', model.lenientSchemas);
  const carrier = carrierDispatchesBodies(model) ? null : EVENT_CARRIER;
  const strictMessage = compileFastDispatch({ model, mode: 'strict', table: strict.table, carrier });
  const lenientMessage = compileFastDispatch({ model, mode: 'lenient', table: lenient.table, carrier });
  const contents = `${codeHeader(documentSources(model.sources))}`
    + `// Fast verdicts (generator/emit/validators-fast.ts): true means ajv would accept too; on false,
// validators.ts runs the ajv validator, which produces the issues. Exports missing here use ajv only.
/* eslint-disable */
type FastVerdict = (value: unknown) => boolean;

${CP_LENGTH}

${strict.code.join('\n')}

${lenient.code.join('\n')}

${strictMessage.code}
${lenientMessage.code}

/** Whole-message fast verdict per mode (generator/emit/validators-fast-dispatch.ts): validateMessage's first step. */
export const FAST_MESSAGE: { readonly strict: FastVerdict; readonly lenient: FastVerdict } = { strict: ${strictMessage.root}, lenient: ${lenientMessage.root} };

/** Validator export name -> fast verdict, per mode (same names as the standalone ajv exports). */
export const FAST_VERDICTS: { readonly strict: Readonly<Record<string, FastVerdict>>; readonly lenient: Readonly<Record<string, FastVerdict>> } = {
  strict: ${tableLiteral(strict.table)},
  lenient: ${tableLiteral(lenient.table)},
};

/** Exports with no fast verdict (a keyword the fast compiler does not support): ajv only. */
export const FAST_FALLBACKS: { readonly strict: readonly string[]; readonly lenient: readonly string[] } = ${JSON.stringify({ strict: strict.fallbacks, lenient: lenient.fallbacks })};
`;
  return [{ root: 'generated', path: 'validators.fast.ts', contents }];
}
