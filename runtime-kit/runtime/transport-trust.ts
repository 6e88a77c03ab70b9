// §9.8 / §14: provisioned credentials travel only over an encrypted transport or one the operator
// trusts. Trusted: stdio to a child process and in-memory pairs (no network hop), WebSocket over
// TLS (wss://), anything the embedder marks with `markTransportTrusted`. Plain ws:// is trusted
// only with the explicit development opt-in `plainLoopbackCredentials` and only for peers
// connecting from a loopback address. An untrusted session never negotiates
// `provisioned_credentials` (the welcome omits it) and never gets credentials issued.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Feature } from '../../generated/index.js';
import type { Transport } from '../transport/index.js';

const marked = new WeakSet<Transport>();

/** The operator vouches for this transport (e.g. a WebSocket behind a TLS-terminating proxy). */
export function markTransportTrusted(transport: Transport): void {
  marked.add(transport);
}

export function isTransportTrusted(transport: Transport | undefined): boolean {
  if (!transport) return false;
  return transport.kind === 'memory' || transport.kind === 'stdio' || marked.has(transport);
}

/** A WebSocket upgrade: TLS, or a loopback peer under the development opt-in. */
export function isUpgradeTrusted(request: IncomingMessage, plainLoopbackCredentials: boolean): boolean {
  if ((request.socket as TLSSocket).encrypted === true) return true;
  return plainLoopbackCredentials && isLoopbackAddress(request.socket.remoteAddress);
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** What a session on `transport` may be offered: everything but credentials when untrusted. */
export function featuresForTransport(advertised: readonly Feature[], transport: Transport | undefined): readonly Feature[] {
  return isTransportTrusted(transport) ? advertised : advertised.filter((f) => f !== 'provisioned_credentials');
}
