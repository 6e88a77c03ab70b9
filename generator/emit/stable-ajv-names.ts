// ajv's standalone code names its top-level declarations with one counter per compile
// (validate117, schema311, pattern14). Adding one event kind shifts every later number, so a
// one-schema change rewrote ~270 lines of each validators.*.cjs. Renaming each declaration after
// a hash of its own text (and of what it refers to) makes names independent of compile order:
// a schema change touches only the declarations whose content changed (issue 14 item 3).
import { createHash } from 'node:crypto';

const DECLARED = /^(?:function (validate\d+)\(|const ((?:schema|root|pattern|func|formats)\d+) = )/;
const TOKEN = /\b(?:validate|schema|root|pattern|func|formats)\d+\b/g;
const BOUNDARY = /^(?:function validate\d+\(|const (?:schema|root|pattern|func|formats)\d+ = |exports\.)/;

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

/** `https://host/schema/events/log.json` -> `events_log`. */
function slug(url: string): string {
  return url.replace(/^[a-z]+:\/\/[^/]+\/(schema\/)?/, '').replace(/\.json$/, '').replace(/#.*$/, '').replace(/[^A-Za-z0-9]+/g, '_');
}

/** The document a declaration belongs to: a function's sourceURL, a schema constant's own $id. */
function documentOf(kind: string, text: string): string | undefined {
  if (kind === 'validate') return /\/\*# sourceURL="([^"]+)" \*\//.exec(text)?.[1];
  if (kind === 'schema') return /^const schema\d+ = \{"\$schema":"[^"]*","\$id":"([^"]+)"/.exec(text)?.[1];
  return undefined;
}

/** ajv standalone code with order-independent names, one top-level declaration per line. */
export function stabilizeAjvNames(code: string): string {
  const lines = code.split('\n');
  const chunks = new Map<string, string>();
  let current: string | null = null;
  let buffer: string[] = [];
  const flush = () => {
    if (current !== null) chunks.set(current, buffer.join('\n'));
    current = null;
    buffer = [];
  };
  for (const line of lines) {
    if (BOUNDARY.test(line)) {
      flush();
      const m = DECLARED.exec(line);
      if (m !== null) current = m[1] ?? m[2]!;
    }
    if (current !== null) buffer.push(line);
  }
  flush();

  const kindOf = (name: string) => /^[a-z]+/.exec(name)![0];
  // A declaration that is the only one of its kind for a schema document is named after the
  // document, so even a change of its own content keeps its name (and its callers' lines).
  const byDocument = new Map<string, string[]>();
  for (const [name, text] of chunks) {
    const doc = documentOf(kindOf(name), text);
    if (doc !== undefined) byDocument.set(`${kindOf(name)} ${doc}`, [...(byDocument.get(`${kindOf(name)} ${doc}`) ?? []), name]);
  }
  const renamed = new Map<string, string>();
  for (const [key, names] of byDocument) {
    if (names.length === 1) renamed.set(names[0]!, `${key.split(' ')[0]}_${slug(key.slice(key.indexOf(' ') + 1))}`);
  }

  const declared = new Set(chunks.keys());
  const normalise = (text: string, sub: (name: string) => string) =>
    text.replace(TOKEN, (t) => (declared.has(t) ? sub(t) : t));
  // The rest are named by content. Round one hashes each declaration with unnamed references
  // blanked; round two folds in the referents' round-one hashes, so two same-shaped wrappers
  // around different callees differ.
  const rest = [...chunks].filter(([name]) => !renamed.has(name));
  const first = new Map(rest.map(([name, text]) => [name, digest(normalise(text, (t) => renamed.get(t) ?? '@'))]));
  const taken = new Set(renamed.values());
  for (const [name, text] of rest) {
    const hash = digest(normalise(text, (t) => (t === name ? '@' : renamed.get(t) ?? first.get(t)!)));
    const base = `${kindOf(name)}_${hash}`;
    let fresh = base;
    for (let i = 2; taken.has(fresh); i++) fresh = `${base}_${i}`;
    taken.add(fresh);
    renamed.set(name, fresh);
  }
  // One declaration per line: ajv's statements joined exactly as its `lines: false` output joins
  // them, so a changed declaration is one changed line and the rest of the file is untouched.
  const out: string[] = [];
  let open: string[] | null = null;
  for (const line of lines) {
    if (BOUNDARY.test(line) || line === '') {
      if (open !== null) out.push(open.join(''));
      open = line === '' ? null : [line];
      continue;
    }
    if (open !== null) open.push(line);
    else out.push(line);
  }
  if (open !== null) out.push(open.join(''));
  return normalise(out.join('\n'), (t) => renamed.get(t)!);
}
