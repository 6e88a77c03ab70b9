// The probe handshake: one session asking for all 11 features, to learn the peer's identity,
// negotiated feature set and agent inventory before any check runs (A2A-style capability gating).
import { PeerConnection } from '../driver/connection.js';
import { Recorder } from '../driver/recorder.js';
import type { RoundTrips } from '../driver/round-trips.js';
import { hello } from '../driver/session.js';
import type { PeerTarget } from '../driver/target.js';
import { field } from '../driver/wire.js';
import type { PeerInfo } from './context.js';

export async function probePeer(target: PeerTarget, timeoutMs: number, roundTrips?: RoundTrips): Promise<PeerInfo> {
  const conn = new PeerConnection('P', await target.connect(), new Recorder(), { timeoutMs, firstFrameTimeoutMs: target.handshakeTimeoutMs, roundTrips });
  try {
    const s = await hello(conn, { token: target.tokenA, timeoutMs: target.handshakeTimeoutMs });
    const p = s.welcome.payload;
    const rawAgents = field(p, 'capabilities', 'agents');
    const agents = Array.isArray(rawAgents)
      ? rawAgents.flatMap((a) => {
          if (typeof a === 'string') return [{ name: a.split('@')[0], versions: [] as string[] }];
          const name = field(a, 'name');
          if (typeof name !== 'string') return [];
          const versions = field(a, 'versions');
          const def = field(a, 'default');
          return [
            {
              name,
              versions: Array.isArray(versions) ? versions.filter((v): v is string => typeof v === 'string') : [],
              default: typeof def === 'string' ? def : undefined,
            },
          ];
        })
      : [];
    const hb = field(p, 'heartbeat_interval_sec');
    const rw = field(p, 'resume_window_sec');
    return {
      runtime: {
        name: String(field(p, 'runtime', 'name') ?? 'unknown'),
        version: String(field(p, 'runtime', 'version') ?? 'unknown'),
      },
      features: s.features,
      agents,
      heartbeatIntervalSec: typeof hb === 'number' ? hb : undefined,
      resumeWindowSec: typeof rw === 'number' ? rw : undefined,
    };
  } finally {
    await conn.close('probe done');
  }
}
