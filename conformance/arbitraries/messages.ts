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

/** A strictly valid message of `type`, bound to `sessionId`. */
export function validMessageArb(type: string, sessionId: string): fc.Arbitrary<Record<string, unknown>> {
  index ??= indexSchemas(SCHEMA_BUNDLE);
  const pointer = (MESSAGE_SCHEMA_POINTERS as Record<string, string>)[type];
  return arbitraryForRef(index, String(SCHEMA_BUNDLE.$id), pointer)
    .map((m) => ({ ...(m as Record<string, unknown>), arcp: '1.1', id: newMessageId(), type, session_id: sessionId }))
    .filter((m) => validateMessage('strict', m).ok);
}

export interface FuzzCase {
  readonly type: string;
  readonly mutation: Mutation;
  readonly frame: unknown;
}

/** A message of a random client type, then one mutation that makes it invalid (lenient). */
export function invalidMessageArb(sessionId: string): fc.Arbitrary<FuzzCase> {
  return fc
    .constantFrom(...fuzzableTypes())
    .chain((type) => validMessageArb(type, sessionId).map((msg) => ({ type, msg })))
    .chain(({ type, msg }) => mutationOf(msg).map((mutation) => ({ type, mutation, frame: applyMutation(msg, mutation) })))
    .filter((c) => !validateMessage('lenient', c.frame).ok);
}
