// Which inbound types are worth validating (issue 13 item 1): a type only the runtime sends is
// refused by its type alone, whatever its body; before the welcome only session.hello and
// session.resume are validated, everything else is refused by type. Validation work before
// authentication is thereby bounded by the pre-handshake frame cap and two schemas.
import { MESSAGES, type MessageType } from '../../../generated/index.js';
import { InvalidRequestError } from '../../errors/classes.js';
import type { DecodeOptions } from '../../protocol/index.js';

const HANDSHAKE_TYPES: ReadonlySet<string> = new Set(['session.hello', 'session.resume']);

function gate(type: MessageType, bound: boolean): InvalidRequestError | undefined {
  if (MESSAGES[type].direction === 'runtime_to_client') {
    return new InvalidRequestError(`${type} is not accepted by this runtime from a client`, { details: { field: '/type' } });
  }
  if (!bound && !HANDSHAKE_TYPES.has(type)) {
    return new InvalidRequestError(`${type} before the handshake: send session.hello (or session.resume) first`, { details: { field: '/type' } });
  }
  return undefined;
}

const BEFORE: DecodeOptions = { gate: (type) => gate(type, false) };
const AFTER: DecodeOptions = { gate: (type) => gate(type, true) };

export function handshakeGate(bound: boolean): DecodeOptions {
  return bound ? AFTER : BEFORE;
}
