// Arbitraries for client-to-runtime messages, derived from the generated schema bundle and
// registry: a message type added to schema/ is fuzzed with no harness change.
import fc from 'fast-check';
import { MESSAGES, MESSAGE_TYPES } from '../../generated/registry.js';
import { MESSAGE_SCHEMA_POINTERS, SCHEMA_BUNDLE } from '../../generated/schemas.js';
import { validateMessage } from '../../generated/validators.js';
import { newMessageId } from '../driver/wire.js';
import { arbitraryForRef, indexSchemas } from './from-schema.js';
import { applyMutation, mutationOf, type Mutation } from './mutate.js';

/** Types that would end or restart the session under test; fuzzing them proves nothing. */
const LIFECYCLE = new Set(['session.hello', 'session.resume', 'session.close', 'session.bye']);

let index: Map<string, Record<string, unknown>> | undefined;

/** Client-sendable message types (direction client_to_runtime or both, not legacy). */
export function fuzzableTypes(): string[] {
  return MESSAGE_TYPES.filter((t) => {
    const info = MESSAGES[t];
    return info.direction !== 'runtime_to_client' && !info.legacy && !LIFECYCLE.has(t);
  });
}

/** Built arbitraries per type: building one compiles regexes, so it is done once. */
const raw = new Map<string, fc.Arbitrary<unknown>>();

/** A strictly valid message of `type`, bound to `sessionId`. */
export function validMessageArb(type: string, sessionId: string): fc.Arbitrary<Record<string, unknown>> {
  index ??= indexSchemas(SCHEMA_BUNDLE);
  let arb = raw.get(type);
  if (!arb) {
    arb = arbitraryForRef(index, String(SCHEMA_BUNDLE.$id), (MESSAGE_SCHEMA_POINTERS as Record<string, string>)[type]);
    raw.set(type, arb);
  }
  return arb
    .map((m) => ({ ...(m as Record<string, unknown>), arcp: '1.1', id: newMessageId(), type, session_id: sessionId }))
    .filter((m) => validateMessage('strict', m).ok);
}

export interface FuzzCase {
  readonly type: string;
  readonly mutation: Mutation;
  readonly frame: unknown;
}

/**
 * A message of a random client type, then one mutation that makes it invalid (lenient). Many
 * single edits stay valid (an optional key deleted), so eight candidate edits are drawn at once
 * and the first invalidating one is kept: far fewer discarded cases than filtering one by one.
 */
export function invalidMessageArb(sessionId: string): fc.Arbitrary<FuzzCase> {
  return fc
    .constantFrom(...fuzzableTypes())
    .chain((type) => validMessageArb(type, sessionId).map((msg) => ({ type, msg })))
    .chain(({ type, msg }) =>
      fc.array(mutationOf(msg), { minLength: 8, maxLength: 8 }).map((candidates) => {
        for (const mutation of candidates) {
          const frame = applyMutation(msg, mutation);
          if (!validateMessage('lenient', frame).ok) return { type, mutation, frame };
        }
        return undefined;
      }),
    )
    .filter((c): c is FuzzCase => c !== undefined);
}
