// W3C Trace Context `traceparent` (version 00): `00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>`.
// ARCP's `trace_id` is the 32-hex trace-id (catalog §6.19); the full header travels in
// `extensions["x-vendor.opentelemetry.tracecontext"]` (the TS/Python/Go SDKs' key, ecosystem.md §1.2).
import { randomBytes } from 'node:crypto';

export const TRACECONTEXT_EXTENSION = 'x-vendor.opentelemetry.tracecontext';

export interface TraceParent {
  traceId: string;
  spanId: string;
  /** Low 8 bits of trace-flags; bit 0 = sampled. */
  flags: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const ALL_ZERO = /^0+$/;

/** Parses a traceparent header; undefined for anything invalid (version ff, zero ids, bad shape). */
export function parseTraceparent(value: unknown): TraceParent | undefined {
  if (typeof value !== 'string' || value.length > 512) return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags] = m as unknown as [string, string, string, string, string];
  if (version === 'ff' || (version === '00' && value.trim().length !== 55)) return undefined;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return undefined;
  return { traceId, spanId, flags: parseInt(flags, 16) };
}

export function formatTraceparent(tp: TraceParent): string {
  return `00-${tp.traceId}-${tp.spanId}-${(tp.flags & 0xff).toString(16).padStart(2, '0')}`;
}

/** A fresh 16-hex span id (never all zeros). */
export function newSpanId(): string {
  let id: string;
  do id = randomBytes(8).toString('hex');
  while (ALL_ZERO.test(id));
  return id;
}

/** The inbound traceparent of an envelope's extensions, if well-formed. */
export function traceparentOfExtensions(extensions: unknown): TraceParent | undefined {
  if (extensions === null || typeof extensions !== 'object') return undefined;
  const carrier = (extensions as Record<string, unknown>)[TRACECONTEXT_EXTENSION];
  if (carrier === null || typeof carrier !== 'object') return undefined;
  return parseTraceparent((carrier as Record<string, unknown>).traceparent);
}
