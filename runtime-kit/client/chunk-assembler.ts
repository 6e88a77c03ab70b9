/**
 * Collects `result_chunk` bodies (§8.4) and assembles the streamed result when `job.result`
 * names its `result_id`: the concatenation of the decoded `data` in `chunk_seq` order, as a
 * string when every chunk is utf8, else as bytes. The encoding may vary between chunks
 * (catalog §10 #25), and an agent that never finalised yields an empty final chunk (§9 #44).
 * What it holds is bounded (`maxBytes`, every result_id together): the runtime alone decides how
 * many chunks it streams, and the assembler is where they pile up whether or not anyone reads
 * the handle's events.
 */
import { DEFAULT_MAX_RESULT_BYTES } from './buffer-limits.js';

/** Charged per chunk on top of its data, so a flood of empty chunks is bounded too. */
export const CHUNK_OVERHEAD_BYTES = 64;

interface Chunk {
  seq: number;
  data: string;
  encoding: 'utf8' | 'base64';
}

export type AssembledResult =
  | { ok: true; value: string | Uint8Array; size: number }
  | { ok: false; reason: string };

/** `kept`; `unusable` (nothing kept); `too_large`: past `maxBytes`, and every chunk was freed. */
export type AddOutcome = 'kept' | 'unusable' | 'too_large';

export class ChunkAssembler {
  private readonly byResult = new Map<string, Chunk[]>();
  private held = 0;

  constructor(readonly maxBytes: number = DEFAULT_MAX_RESULT_BYTES) {}

  /** Data characters plus per-chunk overhead currently held. */
  get heldBytes(): number {
    return this.held;
  }

  /** Records one chunk body. */
  add(body: unknown): AddOutcome {
    if (body === null || typeof body !== 'object') return 'unusable';
    const b = body as Record<string, unknown>;
    const resultId = b.result_id;
    const seq = b.chunk_seq;
    if (typeof resultId !== 'string' || resultId === '') return 'unusable';
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) return 'unusable';
    // Lenient: a missing `encoding` means utf8 (the Python SDK default); `data` may be absent
    // on an automatic empty final chunk.
    const encoding = b.encoding === 'base64' ? 'base64' : 'utf8';
    const data = typeof b.data === 'string' ? b.data : '';
    this.held += data.length + CHUNK_OVERHEAD_BYTES;
    if (this.held > this.maxBytes) {
      this.clear();
      return 'too_large';
    }
    let list = this.byResult.get(resultId);
    if (!list) {
      list = [];
      this.byResult.set(resultId, list);
    }
    list.push({ seq, data, encoding });
    return 'kept';
  }

  /** Forgets every chunk (the job ended, or went past the bound). */
  clear(): void {
    this.byResult.clear();
    this.held = 0;
  }

  /** True when at least one chunk of `resultId` was seen. */
  has(resultId: string): boolean {
    return this.byResult.has(resultId);
  }

  /** Assembles and forgets the chunks of `resultId`; chunk_seq must run 0..n-1 (duplicates ignored). */
  take(resultId: string): AssembledResult {
    const list = this.byResult.get(resultId);
    this.byResult.delete(resultId);
    for (const c of list ?? []) this.held -= c.data.length + CHUNK_OVERHEAD_BYTES;
    if (!list || list.length === 0) return { ok: false, reason: `no result_chunk seen for ${resultId}` };
    const sorted = [...list].sort((a, b) => a.seq - b.seq);
    const unique: Chunk[] = [];
    for (const c of sorted) {
      const prev = unique[unique.length - 1];
      if (prev && prev.seq === c.seq) continue; // a replayed duplicate
      if (c.seq !== unique.length) {
        return { ok: false, reason: `result ${resultId}: chunk_seq ${unique.length} missing` };
      }
      unique.push(c);
    }
    if (unique.every((c) => c.encoding === 'utf8')) {
      const value = unique.map((c) => c.data).join('');
      return { ok: true, value, size: Buffer.byteLength(value, 'utf8') };
    }
    const parts = unique.map((c) => Buffer.from(c.data, c.encoding === 'base64' ? 'base64' : 'utf8'));
    const joined = Buffer.concat(parts);
    const value = new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
    return { ok: true, value, size: value.byteLength };
  }
}
