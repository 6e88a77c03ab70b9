// DNS-rebinding guard (transport/upgrade-guard.ts): a loopback-bound runtime answers an upgrade
// whose Host is not a loopback name with 421. The requests are written by hand on a TCP socket,
// so Host headers no client library would send (duplicates, absolute-form targets) can be tried.
// Only a Host a browser derives from a URL on the attacker's own domain matters for rebinding;
// the other variants pin down that odd spellings of loopback are refused rather than accepted.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RawWs } from './support/raw-ws.js';
import { startTarget } from './support/target.js';
import { targetPerTest } from './support/target-per-test.js';

const slot = targetPerTest();

/** The status line of the answer to a hand-written upgrade request (`head`: request line and headers). */
function upgradeStatus(host: string, port: number, head: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    let buf = '';
    const done = (line: string): void => {
      resolve(line);
      socket.destroy();
    };
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const eol = buf.indexOf('\r\n');
      if (eol !== -1) done(buf.slice(0, eol));
    });
    socket.on('error', (e) => done(`error ${e.message}`));
    socket.on('close', () => done(buf || 'closed'));
    socket.write(`${head}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  });
}

const code = (statusLine: string): number => Number(statusLine.split(' ')[1]);

describe('DNS rebinding: the Host of an upgrade to a loopback-bound runtime', () => {
  it('names a loopback host or gets 421, whatever its spelling; duplicate Host and absolute-form targets do not get past it', async () => {
    const t = (slot.target = await startTarget());
    const port = new URL(t.url).port;
    const at = (head: string) => upgradeStatus('127.0.0.1', Number(port), head);
    const withHost = (h: string) => at(`GET /arcp HTTP/1.1\r\nHost: ${h}\r\n`);
    // What a browser sends on a rebinding page is its URL's host: the attacker's domain.
    const refused = ['evil.example', 'localhost.evil.example', '127.0.0.1.nip.io', 'localhost.', '127.1', '0x7f000001', '2130706433', '[::ffff:127.0.0.1]', '[0:0:0:0:0:0:0:1]', 'user@localhost', 'evil.example@localhost', 'localhost:80:81'];
    for (const h of refused) expect([h, code(await withHost(`${h}:${port}`))]).toEqual([h, 421]);
    for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '[::1]']) expect([h, code(await withHost(`${h}:${port}`))]).toEqual([h, 101]);
    expect(code(await at('GET /arcp HTTP/1.1\r\n'))).toBe(421); // no Host at all
    expect(code(await at(`GET /arcp HTTP/1.1\r\nHost: evil.example:${port}\r\nHost: localhost:${port}\r\n`))).toBe(421); // Node keeps the first
    expect(code(await at(`GET ws://evil.example/arcp HTTP/1.1\r\nHost: localhost:${port}\r\n`))).toBe(404); // not the endpoint's path
  });

  it('a runtime bound to ::1 accepts its own URL (Host [::1]:port) and still refuses a foreign Host', async () => {
    const t = (slot.target = await startTarget({}, 0, {}, '::1'));
    const url = new URL(t.url);
    expect(url.hostname).toBe('[::1]');
    const port = Number(url.port);
    const withHost = (h: string) => upgradeStatus('::1', port, `GET /arcp HTTP/1.1\r\nHost: ${h}\r\n`);
    // Before the fix the bound host `::1` entered the allow-list as ":" and this was 421.
    expect(code(await withHost(`[::1]:${port}`))).toBe(101);
    expect(code(await withHost(`localhost:${port}`))).toBe(101);
    expect(code(await withHost(`evil.example:${port}`))).toBe(421);
  });
});

describe('a cross-site page connecting to a loopback runtime directly (Host 127.0.0.1, its own Origin)', () => {
  // Not rebinding: any page the user visits may open ws://127.0.0.1:<port>, the Host is a
  // loopback name and passed the guard. The bearer token keeps the page out of sessions, but its
  // failed hellos came from 127.0.0.1, the user's own address: it emptied the failed-auth bucket
  // (and could take the connection slots) the user's own tools share, locking them out.
  it('is refused (403) by default, so it cannot empty the failed-auth bucket of 127.0.0.1; the user\'s own client, with no Origin or a loopback one, gets in', async () => {
    const t = (slot.target = await startTarget({ limits: { authFailureBurstPerSource: 3, authFailureRefillPerSec: 0.01 } }));
    const page = { Origin: 'https://evil.example' };
    for (let i = 0; i < 4; i++) {
      const outcome = await RawWs.open(t.url, page).then(
        async (p) => {
          slot.peers.push(p);
          p.hello(`guess-${i}`);
          await p.find((f) => f.type === 'session.error');
          return 'connected';
        },
        (e: Error) => e.message,
      );
      expect(outcome).toBe('upgrade refused: HTTP 403');
    }
    expect(await RawWs.open(t.url, { Origin: 'null' }).then(() => 'connected', (e: Error) => e.message)).toBe('upgrade refused: HTTP 403');
    for (const headers of [{} as Record<string, string>, { Origin: 'http://localhost:3000' }, { Origin: 'http://127.0.0.1:5173' }, { Origin: 'http://[::1]:8080' }]) {
      const own = await RawWs.open(t.url, headers);
      slot.peers.push(own);
      expect((await own.welcome('t-alice')).type).toBe('session.welcome');
    }
  });

  it('allowedOrigins: "any" (or a list naming the page) lets a page in, as before', async () => {
    const t = (slot.target = await startTarget({}, 0, { allowedOrigins: 'any' }));
    const p = await RawWs.open(t.url, { Origin: 'https://app.example' });
    slot.peers.push(p);
    expect((await p.welcome('t-alice')).type).toBe('session.welcome');
  });
});
