// Before any check runs: the peer is reachable and accepts every token the run was given. A token
// the peer refuses is the user's set-up, not the runtime's fault; without this, a wrong --token-b
// turned into MUST failures blamed on the runtime.
import { PeerConnection } from '../driver/connection.js';
import { Recorder } from '../driver/recorder.js';
import { hello } from '../driver/session.js';
import type { PeerTarget } from '../driver/target.js';

/** The run cannot start as configured (exit code 2). The message says what to fix. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

async function handshake(target: PeerTarget, token: string, which: string, timeoutMs: number): Promise<void> {
  let conn: PeerConnection;
  try {
    conn = new PeerConnection('P', await target.connect(), new Recorder(), { timeoutMs, firstFrameTimeoutMs: target.handshakeTimeoutMs });
  } catch (e) {
    throw new SetupError(`cannot reach the peer (${target.describe}): ${(e as Error).message}`);
  }
  try {
    await hello(conn, { token, timeoutMs: target.handshakeTimeoutMs ?? timeoutMs });
  } catch (e) {
    const msg = (e as Error).message;
    if (/handshake refused/.test(msg)) throw new SetupError(`the peer refused ${which}: ${msg.replace(/^handshake refused: /, '')}; check the token (no check ran)`);
    throw new SetupError(`no handshake with ${which} (${target.describe}): ${msg}`);
  } finally {
    await conn.close('preflight done').catch(() => undefined);
  }
}

/** One handshake per principal; throws a SetupError naming the flag whose token failed. */
export async function checkTokens(target: PeerTarget, timeoutMs: number): Promise<void> {
  // the same token twice is one principal: every cross-principal check would "fail"
  if (target.tokenB !== undefined && target.tokenB === target.tokenA) {
    throw new SetupError('--token-b is the same token as --token: principal B must be another principal (no check ran)');
  }
  await handshake(target, target.tokenA, 'principal A\'s token (--token / ARCP_TOKEN)', timeoutMs);
  if (target.tokenB) await handshake(target, target.tokenB, 'principal B\'s token (--token-b / ARCP_TOKEN_B)', timeoutMs);
}
