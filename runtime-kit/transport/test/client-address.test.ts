// Which address an upgrade is counted under: the socket's peer, or with `trustProxy` the
// rightmost X-Forwarded-For entry not written by a trusted proxy (Express's proxy-addr rule).
// Requests are plain objects with the two fields the resolver reads (socket.remoteAddress, headers).
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddressResolver, sourceKey, type TrustProxy } from '../client-address.js';

const upgrade = (peer: string | undefined, xff?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

const resolve = (trustProxy: TrustProxy | undefined, peer: string | undefined, xff?: string | string[]) =>
  clientAddressResolver(trustProxy === undefined ? {} : { trustProxy })(upgrade(peer, xff));

describe('clientAddressResolver', () => {
  it('without trustProxy the header is ignored and the peer is the client', () => {
    expect(resolve(undefined, '127.0.0.1', '203.0.113.7')).toBe('127.0.0.1');
    expect(resolve(undefined, undefined, '203.0.113.7')).toBeUndefined();
  });

  it('an untrusted peer keeps its own address whatever it writes into X-Forwarded-For', () => {
    expect(resolve(['10.0.0.1'], '127.0.0.1', '203.0.113.7')).toBe('127.0.0.1');
    expect(resolve(0, '127.0.0.1', '203.0.113.7')).toBe('127.0.0.1');
  });

  it('walks from the right past trusted proxies to the first untrusted address', () => {
    const proxies = ['127.0.0.1', '10.0.0.2'];
    expect(resolve(proxies, '127.0.0.1', '198.51.100.2, 203.0.113.7')).toBe('203.0.113.7');
    expect(resolve(proxies, '127.0.0.1', '198.51.100.2, 203.0.113.7, 10.0.0.2')).toBe('203.0.113.7');
    expect(resolve((a) => a.startsWith('10.') || a === '127.0.0.1', '127.0.0.1', '203.0.113.7,10.0.0.9')).toBe('203.0.113.7');
  });

  it('a hop count trusts that many proxies from the socket inwards', () => {
    expect(resolve(1, '127.0.0.1', '198.51.100.2, 203.0.113.7')).toBe('203.0.113.7');
    expect(resolve(2, '127.0.0.1', '198.51.100.2, 203.0.113.7')).toBe('198.51.100.2');
    // More hops trusted than entries: the leftmost entry is as far as the header goes.
    expect(resolve(5, '127.0.0.1', '198.51.100.2')).toBe('198.51.100.2');
  });

  it('IPv4-mapped IPv6 peers match an IPv4 list entry; a trusted peer without the header is itself', () => {
    expect(resolve(['127.0.0.1'], '::ffff:127.0.0.1', '203.0.113.7')).toBe('203.0.113.7');
    expect(resolve(['::1'], '::1', '2001:db8::5')).toBe('2001:db8::5');
    expect(resolve(['127.0.0.1'], '127.0.0.1')).toBe('127.0.0.1');
  });

  it('an entry that is not an address stops the walk at the proxy that forwarded it', () => {
    expect(resolve(['127.0.0.1'], '127.0.0.1', 'not-an-ip')).toBe('127.0.0.1');
    expect(resolve(['127.0.0.1', '10.0.0.2'], '127.0.0.1', '203.0.113.7, , 10.0.0.2')).toBe('10.0.0.2');
    expect(resolve(['127.0.0.1'], '127.0.0.1', `${'x'.repeat(8000)},203.0.113.7`)).toBe('203.0.113.7');
  });

  it('a trustProxy that is none of the three forms is a TypeError when the server is set up', () => {
    for (const bad of [-1, 1.5, Number.NaN, ['loopback'], true, 'yes'] as unknown[]) {
      expect(() => clientAddressResolver({ trustProxy: bad as TrustProxy }), String(bad)).toThrow(TypeError);
    }
  });
});

describe('sourceKey (what per-source limits count under)', () => {
  it('keeps an IPv4 address (a mapped one unwrapped) and keys an IPv6 address by its /64, however it is spelled', () => {
    expect(sourceKey('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    for (const a of ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:0:0:0:9', '2001:db8:1:2::1%eth0']) expect(sourceKey(a)).toBe('2001:db8:1:2::/64');
    expect(sourceKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
    expect(sourceKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(sourceKey('fe80:1:2:3:4:5:6:7')).toBe('fe80:1:2:3::/64');
  });
});
