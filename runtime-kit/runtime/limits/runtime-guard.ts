// Runtime-wide admission control: connection caps (overall and per source address), the
// per-source rate limit on failed authentication (hello, resume), the global outbound and inbound
// in-flight budgets and the fair share of emits per tick. One per ARCPRuntime, reached as `core.guard`. Per-source limits apply to transports that report a `remoteAddress` (ws: the peer, or behind a trusted proxy the client it names, transport/client-address.ts);
// in-process memory and stdio transports have none and are limited overall only.
import { arcpError, type ARCPError } from '../../errors/index.js';
import type { Transport } from '../../transport/index.js';
import { sourceKey } from '../../transport/client-address.js';
import type { Clock } from '../timers.js';
import { CLOSE_CODES, type CloseCode } from './close-codes.js';
import { limitError } from './limit-errors.js';
import type { RuntimeLimits } from './limits-options.js';
import { FairShare } from './fair-share.js';
import { InboundBudget } from './inbound-budget.js';
import { OutboundBudget } from './outbound-budget.js';
import { TokenBuckets } from './token-buckets.js';

export interface Refusal {
  error: ARCPError;
  closeCode: CloseCode;
}

export class RuntimeGuard {
  private open = 0;
  private readonly perSource = new Map<string, number>();
  private readonly authFailures: TokenBuckets;
  /** Per event-loop turn budget of agent emits (`maxFramesPerTick`, fair-share.ts). */
  readonly fairShare: FairShare;
  /** Unflushed outbound bytes of all connections (`maxOutboundBufferedBytesTotal`, outbound-budget.ts). */
  readonly outbound: OutboundBudget;
  /** Bytes of frames still arriving on all connections (`maxInboundInFlightBytesTotal`, inbound-budget.ts). */
  readonly inbound: InboundBudget;

  constructor(
    readonly limits: Readonly<RuntimeLimits>,
    private readonly clock: Clock,
    /** The runtime's frame cap (`maxFrameBytes`): the inbound budget cuts a frame past it first. */
    maxFrameBytes: number,
  ) {
    this.authFailures = new TokenBuckets(limits.authFailureBurstPerSource, limits.authFailureRefillPerSec);
    this.fairShare = new FairShare(limits.maxFramesPerTick);
    this.outbound = new OutboundBudget(limits.maxOutboundBufferedBytesTotal);
    this.inbound = new InboundBudget(limits.maxInboundInFlightBytesTotal, maxFrameBytes);
  }

  /** Counts a new transport in; a Refusal when a cap is reached (the transport is then closed). */
  admitConnection(transport: Transport): Refusal | undefined {
    const source = sourceOf(transport);
    if (this.open >= this.limits.maxConnections) {
      return tooMany(limitError('PERMISSION_DENIED', 'maxConnections', this.limits.maxConnections, 'too many open connections; try again later', { retryable: true }));
    }
    if (source !== undefined && (this.perSource.get(source) ?? 0) >= this.limits.maxConnectionsPerSource) {
      return tooMany(
        limitError('PERMISSION_DENIED', 'maxConnectionsPerSource', this.limits.maxConnectionsPerSource, 'too many open connections from this address; try again later', {
          retryable: true,
        }),
      );
    }
    this.open++;
    if (source !== undefined) this.perSource.set(source, (this.perSource.get(source) ?? 0) + 1);
    return undefined;
  }

  /** The transport of an admitted connection closed. */
  releaseConnection(transport: Transport): void {
    this.open = Math.max(0, this.open - 1);
    const source = sourceOf(transport);
    if (source === undefined) return;
    const n = (this.perSource.get(source) ?? 1) - 1;
    if (n <= 0) this.perSource.delete(source);
    else this.perSource.set(source, n);
  }

  get openConnections(): number {
    return this.open;
  }

  /**
   * Before any credential is checked: refuses when this source has used up its failed-attempt
   * budget, so a brute force costs the attacker time and the runtime nothing.
   */
  admitAuthAttempt(transport: Transport): Refusal | undefined {
    const source = sourceOf(transport);
    if (source === undefined) return undefined;
    const now = this.clock.monotonic();
    if (this.authFailures.allows(source, now)) return undefined;
    const retryAfter = this.authFailures.retryAfterMs(source, now);
    return {
      error: arcpError('UNAUTHENTICATED', `too many failed authentication attempts from this address; retry in ${retryAfter} ms`, {
        details: { reason: 'rate_limited', limit: 'authFailureBurstPerSource', retry_after_ms: retryAfter },
      }),
      closeCode: CLOSE_CODES.TOO_MANY,
    };
  }

  /** A hello or resume from this transport failed authentication. */
  authFailed(transport: Transport): void {
    const source = sourceOf(transport);
    if (source !== undefined) this.authFailures.take(source, this.clock.monotonic());
  }
}

/** What the per-source limits count under (an IPv6 client by its /64: transport/client-address.ts). */
function sourceOf(transport: Transport): string | undefined {
  return transport.remoteAddress === undefined ? undefined : sourceKey(transport.remoteAddress);
}

function tooMany(error: ARCPError): Refusal {
  return { error, closeCode: CLOSE_CODES.TOO_MANY };
}
