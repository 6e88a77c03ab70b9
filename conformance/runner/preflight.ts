// Before any check runs: the peer is reachable and accepts every token the run was given. A token
// the peer refuses is the user's set-up, not the runtime's fault; without this, a wrong --token-b
// turned into MUST failures blamed on the runtime.
import { PeerConnection } from '../driver/connection.js';
import { Recorder } from '../driver/recorder.js';
import { hello, type Session } from '../driver/session.js';
import type { PeerTarget } from '../driver/target.js';
import { envelope, field, newTraceId } from '../driver/wire.js';

/** What the preflight learnt: whether the peer hosts the conformance agents, when it could tell. */
export interface Preflight {
  /** False when the peer answered a conformance.echo submit with AGENT_NOT_AVAILABLE. */
  readonly hostsConformanceAgents?: boolean;
}

/**
 * Without `agent_versions` the welcome lists no inventory, so one conformance.echo submit asks:
 * a peer that hosts none would otherwise fail every check that submits, blamed on the runtime.
 */
async function hostsConformanceAgents(s: Session): Promise<boolean | undefined> {
  if (s.features.includes('agent_versions')) return undefined;
  const env = envelope('job.submit', { agent: 'conformance.echo', input: {} }, { session_id: s.sessionId, trace_id: newTraceId() });
  s.conn.send(env);
  const reply = await s.conn
    .expect((m) => ['job.accepted', 'job.error', 'session.error'].includes(m.type) && (field(m, 'payload', 'request_id') ?? env.id) === env.id, 'reply to the agent probe')
    .catch(() => undefined);
  if (!reply) return undefined;
  if (reply.type === 'job.accepted') return true;
  return field(reply, 'payload', 'code') === 'AGENT_NOT_AVAILABLE' ? false : undefined;
}

/** The run cannot start as configured (exit code 2). The message says what to fix. */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

async function handshake(target: PeerTarget, token: string, which: string, timeoutMs: number, probeAgents = false): Promise<Preflight> {
  let conn: PeerConnection;
  try {
    conn = new PeerConnection('P', await target.connect(), new Recorder(), { timeoutMs, firstFrameTimeoutMs: target.handshakeTimeoutMs });
  } catch (e) {
    throw new SetupError(`cannot reach the peer (${target.describe}): ${(e as Error).message}`);
  }
  let s: Session;
  try {
    s = await hello(conn, { token, timeoutMs: target.handshakeTimeoutMs ?? timeoutMs });
  } catch (e) {
    await conn.close('preflight done').catch(() => undefined);
    const msg = (e as Error).message;
    if (/handshake refused/.test(msg)) throw new SetupError(`the peer refused ${which}: ${msg.replace(/^handshake refused: /, '')}; check the token (no check ran)`);
    throw new SetupError(`no handshake with ${which} (${target.describe}): ${msg}`);
  }
  try {
    return probeAgents ? { hostsConformanceAgents: await hostsConformanceAgents(s) } : {};
  } finally {
    await conn.close('preflight done').catch(() => undefined);
  }
}

/** One handshake per principal; throws a SetupError naming the flag whose token failed. */
export async function checkTokens(target: PeerTarget, timeoutMs: number): Promise<Preflight> {
  // the same token twice is one principal: every cross-principal check would "fail"
  if (target.tokenB !== undefined && target.tokenB === target.tokenA) {
    throw new SetupError('--token-b is the same token as --token: principal B must be another principal (no check ran)');
  }
  const learnt = await handshake(target, target.tokenA, 'principal A\'s token (--token / ARCP_TOKEN)', timeoutMs, true);
  if (target.tokenB) await handshake(target, target.tokenB, 'principal B\'s token (--token-b / ARCP_TOKEN_B)', timeoutMs);
  return learnt;
}
