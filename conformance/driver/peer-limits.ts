// Limits a runtime enforces but never states on the wire (§14: the result caps, a per-principal
// session cap, when a zero-throughput session is dropped). The checks that probe them need the
// values declared: the in-process target declares its own, a foreign target is given
// `--peer-limits`. Without a declaration those checks are skipped (the run says what to add),
// never failed; a declared value beyond the probe's bound is skipped too, since the harness only
// ever generates bounded load.

export interface PeerLimits {
  /** Largest `result_chunk` (decoded bytes) the runtime delivers; one byte more ends the job INTERNAL_ERROR. */
  readonly resultChunkBytes?: number;
  /** Largest streamed result (decoded bytes, all chunks) the runtime delivers. */
  readonly resultTotalBytes?: number;
  /** Sessions one principal may hold attached at once; the next hello is refused. */
  readonly sessionsPerPrincipal?: number;
  /** Seconds of heartbeat-only traffic after which the runtime drops the transport. */
  readonly zeroThroughputSec?: number;
}

/** `--peer-limits` names, as the runtime's operator would write them. */
export const PEER_LIMIT_NAMES = {
  result_chunk_bytes: 'resultChunkBytes',
  result_bytes: 'resultTotalBytes',
  sessions_per_principal: 'sessionsPerPrincipal',
  idle_disconnect_sec: 'zeroThroughputSec',
} as const satisfies Record<string, keyof PeerLimits>;

/** The most each probe generates; a larger declared value leaves its check skipped. */
export const PROBE_BOUNDS: Readonly<Required<PeerLimits>> = {
  resultChunkBytes: 4 * 1024 * 1024,
  resultTotalBytes: 8 * 1024 * 1024,
  sessionsPerPrincipal: 128,
  zeroThroughputSec: 30,
};

/** `name=value,...` -> PeerLimits; throws on an unknown name or a value that is not a positive integer. */
export function parsePeerLimits(text: string): PeerLimits {
  const out: Record<string, number> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const key = (PEER_LIMIT_NAMES as Record<string, keyof PeerLimits>)[name];
    if (!key) throw new Error(`--peer-limits: unknown limit "${name.slice(0, 40)}" (known: ${Object.keys(PEER_LIMIT_NAMES).join(', ')})`);
    const value = Number(item.slice(eq + 1));
    if (eq < 0 || !Number.isSafeInteger(value) || value <= 0) throw new Error(`--peer-limits: ${name} must be a positive integer`);
    out[key] = value;
  }
  return out as PeerLimits;
}

/** The `--peer-limits` text for `limits` (replay commands repeat it). */
export function formatPeerLimits(limits: PeerLimits): string {
  return Object.entries(PEER_LIMIT_NAMES)
    .filter(([, key]) => limits[key] !== undefined)
    .map(([name, key]) => `${name}=${limits[key]}`)
    .join(',');
}
