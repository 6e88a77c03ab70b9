// The address a WebSocket connection is counted under (per-source connection caps, the failed-auth
// bucket: runtime/limits/runtime-guard.ts). Behind a reverse proxy every socket comes from the
// proxy, so one attacker would empty the bucket its clients share; `trustProxy` names the proxies
// whose X-Forwarded-For may be believed. The header is read from the right (the entry the nearest
// proxy appended) and the client is the first address not trusted, as Express (proxy-addr) does:
// whatever a client writes into the header itself sits to the left of that and is never reached.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Which peers are proxies whose X-Forwarded-For is believed: a number of hops (1 = the direct
 * peer is the proxy), the proxies' addresses, or a predicate (for subnets). Default: none, the
 * header is ignored and the socket's peer address is the client.
 */
export type TrustProxy = number | readonly string[] | ((address: string) => boolean);

export interface ClientAddressOptions {
  /** Proxies whose X-Forwarded-For names the client (see TrustProxy). Default: none. */
  trustProxy?: TrustProxy;
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) -> `10.0.0.1`; case-folded. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/**
 * The key the per-source limits count under: an IPv4 address as is, an IPv6 address by its /64.
 * Every IPv6 host is handed at least a /64, so keyed by the whole address one client could take
 * a fresh failed-auth bucket (and connection quota) per guess, 2^64 of them, behind a trusted
 * proxy or not. The devices of one /64 (a home network) share a key as an IPv4 NAT's do.
 */
export function sourceKey(address: string): string {
  const a = normalizeAddress(address);
  return isIP(a) === 6 ? `${ipv6Prefix64(a)}::/64` : a;
}

/** The first four groups of an IPv6 address, each as lowercase hex without leading zeros. */
function ipv6Prefix64(address: string): string {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const front = head === '' ? [] : head.split(':');
  let groups = front;
  if (tail !== undefined) {
    const back = tail === '' ? [] : tail.split(':');
    const backGroups = back.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0); // a dotted IPv4 ending is two groups
    groups = [...front, ...Array<string>(8 - front.length - backGroups).fill('0'), ...back];
  }
  return groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':');
}

type HopTrust = (address: string, hop: number) => boolean;

function hopTrust(trust: TrustProxy): HopTrust {
  if (typeof trust === 'number') {
    if (!Number.isInteger(trust) || trust < 0) throw new TypeError(`trustProxy: a hop count must be a non-negative integer, got ${trust}`);
    return (_address, hop) => hop < trust;
  }
  if (typeof trust === 'function') return (address) => trust(address);
  if (!Array.isArray(trust) || !trust.every((a) => typeof a === 'string' && isIP(normalizeAddress(a)) !== 0)) {
    throw new TypeError('trustProxy: expected a hop count, a list of IP addresses or a predicate');
  }
  const trusted = new Set(trust.map(normalizeAddress));
  return (address) => trusted.has(address);
}

/**
 * The client address of an upgrade request. Built once per server (the trust set is parsed here,
 * so a bad `trustProxy` is a TypeError at listen/attach time, not per connection).
 */
export function clientAddressResolver(opts: ClientAddressOptions): (req: IncomingMessage) => string | undefined {
  const peer = (req: IncomingMessage) => req.socket.remoteAddress;
  if (opts.trustProxy === undefined) return peer;
  const trusted = hopTrust(opts.trustProxy);
  return (req) => {
    const direct = peer(req);
    if (direct === undefined) return undefined;
    const header = req.headers['x-forwarded-for'];
    if (typeof header !== 'string') return direct;
    let client = normalizeAddress(direct);
    if (!trusted(client, 0)) return direct;
    const forwarded = header.split(',');
    for (let hop = 0; trusted(client, hop) && forwarded.length > 0; hop++) {
      const next = normalizeAddress(forwarded.pop()!);
      // A trusted proxy that forwards something that is not an address is broken; its own address
      // is the conservative key (no string a client chose becomes a bucket of its own).
      if (isIP(next) === 0) return client;
      client = next;
    }
    return client;
  };
}
