// DNS-rebinding guard (transport/upgrade-guard.ts): a loopback-bound runtime answers an upgrade
// whose Host is not a loopback name with 421. The requests are written by hand on a TCP socket,
// so Host headers no client library would send (duplicates, absolute-form targets) can be tried.
// Only a Host a browser derives from a URL on the attacker's own domain matters for rebinding;
// the other variants pin down that odd spellings of loopback are refused rather than accepted.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
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
