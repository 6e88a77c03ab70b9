// Demo agents hosted by `arcp serve` by default: small, visible, and cancellable.
import { arcpError } from '../errors/index.js';
import { sleep, systemClock, type Clock } from '../protocol/index.js';
import type { AgentHandler } from '../runtime/job-context.js';
import type { ARCPRuntime } from '../runtime/runtime.js';

/** `demo.echo`: logs what it got and returns it. */
export const demoEcho: AgentHandler = (input, ctx) => {
  ctx.log('info', 'echoing input', { bytes: JSON.stringify(input ?? null).length });
  return input;
};

/** `demo.countdown {from?: number, interval_ms?: number}`: counts down with progress, then "liftoff". */
export function demoCountdown(clock: Clock = systemClock): AgentHandler {
  return async (input, ctx) => {
    const i = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const from = i.from ?? 5;
    const interval = i.interval_ms ?? 500;
    if (typeof from !== 'number' || !Number.isInteger(from) || from < 0 || from > 10_000) {
      throw arcpError('INVALID_REQUEST', 'demo.countdown: from must be an integer in [0, 10000]');
    }
    if (typeof interval !== 'number' || interval < 0 || interval > 60_000) {
      throw arcpError('INVALID_REQUEST', 'demo.countdown: interval_ms must be in [0, 60000]');
    }
    ctx.status('counting', `from ${from}`);
    for (let n = from; n > 0; n--) {
      ctx.progress(from - n + 1, { total: from, units: 'ticks', message: `${n}` });
      ctx.log('info', `${n}...`);
      await sleep(clock, interval, ctx.signal);
    }
    return { message: 'liftoff' };
  };
}

export function registerDemoAgents(runtime: ARCPRuntime): ARCPRuntime {
  runtime.registerAgent('demo.echo', demoEcho, { version: '1.0.0', default: true });
  runtime.registerAgent('demo.countdown', demoCountdown(runtime.timers), { version: '1.0.0', default: true });
  return runtime;
}
