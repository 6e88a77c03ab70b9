// DNS-rebinding protection for the WebSocket server (the TS SDK's transports guide, Go's
// loopback-only `AllowedHosts` answering HTTP 421, Java's Host/Origin allow-lists; ecosystem.md
// §1.3 "Server integrations"). A page on evil.example whose DNS later points at 127.0.0.1 can
// open a WebSocket to a loopback runtime — browsers apply no CORS to WebSockets — but its
// upgrade request still carries `Host: evil.example:<port>`, which the guard refuses. A page may
// also open ws://127.0.0.1:<port> directly (a loopback Host): the token keeps it out of sessions,
// but its failed hellos came from 127.0.0.1 and emptied the failed-auth bucket the user's own
// tools share. So where the Host check is the loopback default, a browser Origin must be loopback too.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface UpgradeGuardOptions {
  /**
   * Host-header hostnames accepted (case-insensitive, port ignored), 'any', or 'auto': loopback
   * names only while the server is bound to a loopback address, any host otherwise. Default:
   * `listen()` and the adapters' helpers that serve a framework (`listenNode`, `listenExpress`,
   * `serveHono`, the `arcpFastify` plugin) behave as 'auto'; `attach()` on a server you created
   * (and `attachRuntime`/`attachExpress`/`attachHono`) accepts any host, since a reverse proxy in
   * front of your server may keep its public Host name.
   */
  allowedHosts?: readonly string[] | 'any' | 'auto';
  /**
   * Origin-header values accepted when a request carries one (browsers do; other clients send
   * none). Default: while the Host check is the loopback default (above), only a loopback origin
   * (`http://localhost:3000`, `http://127.0.0.1:5173`, `http://[::1]:8080`), so a page on another
   * site cannot connect (403); any origin otherwise.
   */
  allowedOrigins?: readonly string[] | 'any';
}

export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export type GuardVerdict = { ok: true } | { ok: false; status: 421 | 403; text: string };

/** Hostname of a Host header, or of an allow-list entry, without the port (`[::1]:80` -> `::1`, `a.b:7777` -> `a.b`, `::1` -> `::1`). */
export function hostnameOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  // A bare IPv6 address (the bound host `::1`, an allow-list entry) has no port to cut: cutting at
  // its last colon turned `::1` into `:`, and a server bound to ::1 refused its own URL (421).
  if (isIP(h) === 6) return h;
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/** The Host allow-list for a server bound to `boundHost`: loopback names for a loopback bind. */
export function loopbackDefaultHosts(boundHost: string | undefined): readonly string[] | 'any' {
  return boundHost !== undefined && isLoopbackHost(boundHost) ? [...LOOPBACK_HOSTS, boundHost] : 'any';
}

type HostSet = ReadonlySet<string> | 'any';

function hostSet(hosts: readonly string[] | 'any'): HostSet {
  return hosts === 'any' ? 'any' : new Set(hosts.map((h) => hostnameOf(h)));
}

export class UpgradeGuard {
  private readonly hosts: HostSet | 'auto';
  /** The Host check is the default (loopback names while bound to loopback), not a list given. */
  private readonly loopbackDefault: boolean;
  /** undefined: the default (see UpgradeGuardOptions.allowedOrigins). */
  private readonly origins: ReadonlySet<string> | 'any' | undefined;
  // 'auto' is resolved per upgrade: an attached server may be bound (or re-bound) after attach().
  private auto: { bound: string | undefined; hosts: HostSet } | undefined;

  /** `boundHost` reports the server's bound address now (undefined when not listening on TCP). */
  constructor(
    opts: UpgradeGuardOptions,
    defaultHosts: readonly string[] | 'any' | 'auto',
    private readonly boundHost: () => string | undefined = () => undefined,
  ) {
    const hosts = opts.allowedHosts ?? defaultHosts;
    this.loopbackDefault = opts.allowedHosts === undefined || opts.allowedHosts === 'auto';
    this.hosts = hosts === 'auto' ? 'auto' : hostSet(hosts);
    const origins = opts.allowedOrigins;
    this.origins = origins === undefined || origins === 'any' ? origins : new Set(origins.map((o) => o.toLowerCase()));
  }

  check(req: IncomingMessage): GuardVerdict {
    const hosts = this.hosts === 'auto' ? this.autoHosts() : this.hosts;
    if (hosts !== 'any') {
      const host = req.headers.host;
      if (typeof host !== 'string' || !hosts.has(hostnameOf(host))) return { ok: false, status: 421, text: 'Misdirected Request' };
    }
    const origin = req.headers.origin;
    if (typeof origin === 'string' && !this.originAllowed(origin, hosts)) return { ok: false, status: 403, text: 'Forbidden' };
    return { ok: true };
  }

  private originAllowed(origin: string, hosts: HostSet): boolean {
    if (this.origins !== undefined) return this.origins === 'any' || this.origins.has(origin.toLowerCase());
    // The default follows the loopback Host default: loopback names only, the page's origin as well.
    return !this.loopbackDefault || hosts === 'any' || hosts.has(originHostname(origin));
  }

  private autoHosts(): HostSet {
    const bound = this.boundHost();
    if (this.auto === undefined || this.auto.bound !== bound) this.auto = { bound, hosts: hostSet(loopbackDefaultHosts(bound)) };
    return this.auto.hosts;
  }
}

/** Hostname of an Origin (`http://[::1]:8080` -> `::1`); '' for `null` and anything not a URL. */
function originHostname(origin: string): string {
  try {
    return hostnameOf(new URL(origin).hostname);
  } catch {
    return '';
  }
}
