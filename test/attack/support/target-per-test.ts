// One attack target and the raw peers opened against it, per test: closed after each test
// (registers the afterEach itself), so a failing test leaves no listener or socket behind.
import { afterEach } from 'vitest';
import { closeAll, type RawWs } from './raw-ws.js';
import type { Target } from './target.js';

export interface TargetSlot {
  target: Target | undefined;
  readonly peers: RawWs[];
}

export function targetPerTest(): TargetSlot {
  const slot: TargetSlot = { target: undefined, peers: [] };
  afterEach(async () => {
    await closeAll(slot.peers);
    await slot.target?.close();
    slot.target = undefined;
  });
  return slot;
}
