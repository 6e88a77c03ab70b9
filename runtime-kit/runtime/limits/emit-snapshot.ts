// What a queued emit keeps of its payload (emit-outbox.ts): a copy taken when the agent made the
// emit, so changing the object afterwards cannot change what goes out. JSON.stringify was that
// copy, and it was most of what a loop of emits that never awaits costs in its uninterrupted
// turn (issue 13); a copy of plain data is about a quarter of it. Plain objects, arrays and
// JSON primitives are copied (undefined, NaN and functions as values too: they encode as
// JSON.stringify would encode the original), and the JSON length is estimated on the way for
// the pending-output caps. Anything else (a Date, a class instance, an object with toJSON, a
// bigint, nesting deeper than MAX_DEPTH, so a cycle too) goes through a JSON round trip, which
// is what it became before and throws what JSON.stringify throws.

const MAX_DEPTH = 64;
const OBJECT_PROTO = Object.prototype;

export interface Snapshot {
  readonly value: unknown;
  /** About the JSON length of `value` (strings, keys and punctuation exact; a number counts 8). */
  readonly chars: number;
}

class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain();

export function snapshot(value: unknown): Snapshot {
  const size = { chars: 0 };
  try {
    return { value: copy(value, 0, size), chars: size.chars };
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    const json = JSON.stringify(value);
    return { value: json === undefined ? undefined : (JSON.parse(json) as unknown), chars: json?.length ?? 0 };
  }
}

function copy(v: unknown, depth: number, size: { chars: number }): unknown {
  switch (typeof v) {
    case 'string':
      size.chars += v.length + 2;
      return v;
    case 'number':
      size.chars += 8;
      return v;
    case 'boolean':
      size.chars += 5;
      return v;
    case 'undefined':
    case 'function':
    case 'symbol':
      return v; // left out of objects (and null in arrays) by the encoder, as before
    case 'bigint':
      throw NOT_PLAIN; // JSON.stringify throws for it: the round trip says so
    default:
      break;
  }
  if (v === null) {
    size.chars += 4;
    return v;
  }
  if (depth >= MAX_DEPTH) throw NOT_PLAIN;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw NOT_PLAIN;
    const out = new Array<unknown>(v.length);
    size.chars += 2 + v.length;
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], depth + 1, size);
    return out;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== OBJECT_PROTO && proto !== null) throw NOT_PLAIN;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  size.chars += 2;
  for (const key of Object.keys(v as object)) {
    if (key === '__proto__') throw NOT_PLAIN; // an assignment would set the copy's prototype
    size.chars += key.length + 4;
    out[key] = copy((v as Record<string, unknown>)[key], depth + 1, size);
  }
  return out;
}
