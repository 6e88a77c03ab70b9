// fast-check arbitraries for runtime-to-client messages and event bodies, derived from the
// generated schema bundle and registry (the runtime role fuzzes client-to-runtime messages the
// same way, conformance/arbitraries/messages.ts): a message or kind added to schema/ is fuzzed
// towards clients with no harness change.
import fc from 'fast-check';
import { EVENT_KINDS, MESSAGES, MESSAGE_TYPES } from '../../generated/registry.js';
import { EVENT_SCHEMA_POINTERS, MESSAGE_SCHEMA_POINTERS, SCHEMA_BUNDLE } from '../../generated/schemas.js';
import { validateEventBody, validateMessage } from '../../generated/validators.js';
import { arbitraryForRef, indexSchemas } from '../arbitraries/from-schema.js';
import { applyMutation, mutationOf, type Mutation } from '../arbitraries/mutate.js';
import { newMessageId } from '../driver/wire.js';

/**
 * Types whose arrival legitimately ends or redirects the session (a fatal session.error, a
 * session.closed, a second welcome, a legacy bye): fuzzing them mid-stream would test the
 * harness's expectations, not the client's robustness.
 */
const SESSION_ENDING = new Set(['session.error', 'session.closed', 'session.bye', 'session.welcome']);

/** Well-formed ids that name nothing the client has open. */
const STRAY_JOB = 'job_01J000000000000000000STRAY';
const STRAY_REQUEST = 'msg_01J000000000000000000STRAY';

let index: Map<string, Record<string, unknown>> | undefined;
const built = new Map<string, fc.Arbitrary<unknown>>();

function arbFor(pointer: string): fc.Arbitrary<unknown> {
  index ??= indexSchemas(SCHEMA_BUNDLE);
  let a = built.get(pointer);
  if (!a) {
    a = arbitraryForRef(index, String(SCHEMA_BUNDLE.$id), pointer);
    built.set(pointer, a);
  }
  return a;
}

/** Runtime-to-client types a runtime may send at any time without ending the session. */
export function fuzzableRuntimeTypes(): string[] {
  return MESSAGE_TYPES.filter((t) => MESSAGES[t].direction !== 'client_to_runtime' && !SESSION_ENDING.has(t));
}

/** A strictly valid body of a reserved event kind. */
export function eventBodyArb(kind: string): fc.Arbitrary<unknown> {
  return arbFor((EVENT_SCHEMA_POINTERS as Record<string, string>)[kind]).filter((b) => validateEventBody('strict', kind, b).ok === true);
}

export function reservedKinds(): string[] {
  return Object.keys(EVENT_KINDS).sort();
}

/**
 * A valid runtime-to-client message aimed at nothing the client has open: a foreign job id, no
 * event_seq, a request_id that answers nothing. A correct client ignores it or shows it for that
 * foreign job; it must never cost the real job an event.
 */
export function strayMessageArb(sessionId: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(...fuzzableRuntimeTypes()).chain((type) =>
    arbFor((MESSAGE_SCHEMA_POINTERS as Record<string, string>)[type])
      .map((m) => {
        const out: Record<string, unknown> = { ...(m as Record<string, unknown>), arcp: '1.1', id: newMessageId(), type, session_id: sessionId };
        delete out.event_seq;
        if ('job_id' in out) out.job_id = STRAY_JOB;
        const p = out.payload as Record<string, unknown> | undefined;
        if (p && typeof p === 'object') {
          if ('request_id' in p) p.request_id = STRAY_REQUEST;
          if ('job_id' in p) p.job_id = STRAY_JOB;
          if ('ping_nonce' in p) p.ping_nonce = 'nonce_stray';
        }
        // A generated value the lenient schema still rejects (an unsupported keyword) becomes a
        // plain stray ping: filtering could loop for a type the converter cannot satisfy.
        return validateMessage('lenient', out).ok ? out : { arcp: '1.1', id: newMessageId(), type: 'session.ping', session_id: sessionId, payload: { nonce: 'p_stray', sent_at: new Date(0).toISOString() } };
      }),
  );
}

export interface StrayCase {
  readonly frame: unknown;
  readonly mutation?: Mutation;
}

/** A stray message, sometimes mutated into something the lenient schema rejects. */
export function strayCaseArb(sessionId: string): fc.Arbitrary<StrayCase> {
  return strayMessageArb(sessionId).chain((msg) =>
    fc.oneof(
      fc.constant<StrayCase>({ frame: msg }),
      mutationOf(msg).map((mutation): StrayCase => ({ frame: applyMutation(msg, mutation), mutation })),
    ),
  );
}
