// Turns a valid message into an invalid one: one structural mutation at one JSON path.
// Which mutation and where are chosen by fast-check, so failures shrink to one small edit.
import fc from 'fast-check';

export type Mutation =
  | { op: 'delete'; path: string[] }
  | { op: 'retype'; path: string[]; value: unknown }
  | { op: 'null'; path: string[] };

/** Every path to a value inside `v` (objects and arrays), root excluded. */
export function paths(v: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (v && typeof v === 'object') {
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      const p = [...prefix, k];
      out.push(p);
      if (p.length < 5) paths(child, p, out);
    }
  }
  return out;
}

function wrongTypeFor(v: unknown): fc.Arbitrary<unknown> {
  if (typeof v === 'string') return fc.oneof(fc.integer(), fc.constant(['x']), fc.constant({}), fc.constant(''));
  if (typeof v === 'number') return fc.oneof(fc.constant('7'), fc.constant(-1), fc.constant(1.5), fc.constant(true));
  if (typeof v === 'boolean') return fc.oneof(fc.constant('true'), fc.constant(0));
  if (Array.isArray(v)) return fc.oneof(fc.constant({}), fc.constant('[]'), fc.constant([{}]));
  if (v && typeof v === 'object') return fc.oneof(fc.constant([]), fc.constant('{}'), fc.constant(1));
  return fc.constant({ unexpected: true });
}

/** Applies a mutation to a deep copy. */
export function applyMutation(msg: unknown, m: Mutation): unknown {
  const copy = structuredClone(msg) as Record<string, unknown>;
  let parent: Record<string, unknown> = copy;
  for (const k of m.path.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
  const last = m.path[m.path.length - 1];
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (m.op === 'null') parent[last] = null;
  else parent[last] = m.value;
  return copy;
}

/** Arbitrary mutation of `msg`. */
export function mutationOf(msg: unknown): fc.Arbitrary<Mutation> {
  const ps = paths(msg);
  if (ps.length === 0) return fc.constant({ op: 'null', path: ['payload'] } as Mutation);
  return fc.nat({ max: ps.length - 1 }).chain((i) => {
    const path = ps[i];
    let cur: unknown = msg;
    for (const k of path) cur = (cur as Record<string, unknown>)[k];
    return fc.oneof(
      fc.constant<Mutation>({ op: 'delete', path }),
      fc.constant<Mutation>({ op: 'null', path }),
      wrongTypeFor(cur).map<Mutation>((value) => ({ op: 'retype', path, value })),
    );
  });
}
