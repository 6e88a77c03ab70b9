// The afterEach an attack test file needs: close the raw peers it opened, then its target.
import { afterEach } from 'vitest';
import { closeAll, type RawWs } from './raw-ws.js';
import type { Target } from './target.js';

export interface AttackFixture {
  target: Target | undefined;
  readonly peers: RawWs[];
}

export function attackFixture(): AttackFixture {
  const fx: AttackFixture = { target: undefined, peers: [] };
  afterEach(async () => {
    await closeAll(fx.peers);
    await fx.target?.close();
    fx.target = undefined;
  });
  return fx;
}
