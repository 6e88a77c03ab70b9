// §9.5 `expires_at`: ISO 8601 / RFC 3339 in UTC with a `Z` suffix, fractions allowed
// (catalog §10 #33). Offsets like `+00:00`, a lower-case `z`, date-only values and impossible
// dates (Feb 30, hour 24, second 60) are refused. Fractions beyond milliseconds are truncated.

const UTC_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** Epoch milliseconds, or undefined when `text` is not a strict UTC timestamp. */
export function parseUtcTimestamp(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = UTC_TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(2000, 0, 1, hour, minute, second, millis));
  date.setUTCFullYear(year, month - 1, day); // Date.UTC maps years 0-99 to 1900-1999
  // Feb 30 rolls over into March: a round trip of the day catches it.
  if (date.getUTCDate() !== day) return undefined;
  return date.getTime();
}
