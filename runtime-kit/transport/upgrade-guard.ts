// DNS-rebinding protection for the WebSocket server (the TS SDK's transports guide, Go's
// loopback-only `AllowedHosts` answering HTTP 421, Java's Host/Origin allow-lists; ecosystem.md
// §1.3 "Server integrations"). A page on evil.example whose DNS later points at 127.0.0.1 can
// open a WebSocket to a loopback runtime — browsers apply no CORS to WebSockets — but its
// upgrade request still carries `Host: evil.example:<port>`, which the guard refuses.
import type { IncomingMessage } from 'node:http';

export interface UpgradeGuardOptions {
  /**
   * Host-header hostnames accepted (case-insensitive, port ignored), or 'any'. Default: a
   * standalone server bound to a loopback address accepts only loopback names; everything
   * else (attach(), non-loopback binds) accepts any host.
   */
  allowedHosts?: readonly string[] | 'any';
  /** Origin-header values accepted when a request carries one (browsers do). Default: any. */
  allowedOrigins?: readonly string[] | 'any';
}

export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export type GuardVerdict = { ok: true } | { ok: false; status: 421 | 403; text: string };

/** Hostname of a Host header without the port (`[::1]:80` -> `::1`, `a.b:7777` -> `a.b`). */
export function hostnameOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

export class UpgradeGuard {
  private readonly hosts: ReadonlySet<string> | 'any';
  private readonly origins: ReadonlySet<string> | 'any';

  constructor(opts: UpgradeGuardOptions, defaultHosts: readonly string[] | 'any') {
    const hosts = opts.allowedHosts ?? defaultHosts;
    this.hosts = hosts === 'any' ? 'any' : new Set(hosts.map((h) => hostnameOf(h)));
    const origins = opts.allowedOrigins ?? 'any';
    this.origins = origins === 'any' ? 'any' : new Set(origins.map((o) => o.toLowerCase()));
  }

  check(req: IncomingMessage): GuardVerdict {
    if (this.hosts !== 'any') {
      const host = req.headers.host;
      if (typeof host !== 'string' || !this.hosts.has(hostnameOf(host))) return { ok: false, status: 421, text: 'Misdirected Request' };
    }
    if (this.origins !== 'any') {
      const origin = req.headers.origin;
      if (typeof origin === 'string' && !this.origins.has(origin.toLowerCase())) return { ok: false, status: 403, text: 'Forbidden' };
    }
    return { ok: true };
  }
}
