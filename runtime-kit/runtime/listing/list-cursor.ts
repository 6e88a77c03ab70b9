// Opaque keyset cursor for session.list_jobs (catalog §6.7): the position after the last entry
// of a page, as base64url(JSON [created_at_ms, job_id]). Clients must not parse it.

export interface ListPosition {
  createdAtMs: number;
  jobId: string;
}

export function encodeCursor(pos: ListPosition): string {
  return Buffer.from(JSON.stringify([pos.createdAtMs, pos.jobId]), 'utf8').toString('base64url');
}

/** Undefined when the cursor is not one we minted. */
export function decodeCursor(cursor: string): ListPosition | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && typeof v[1] === 'string' && v[1] !== '') {
      return { createdAtMs: v[0] as number, jobId: v[1] };
    }
  } catch {
    // fall through
  }
  return undefined;
}

/** Keyset order: created_at ascending, then job_id (catalog §6.7). */
export function comparePosition(a: ListPosition, b: ListPosition): number {
  return a.createdAtMs - b.createdAtMs || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0);
}
