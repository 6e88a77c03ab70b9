// What every part of the cluster binding shares: the runtime, its store binding, the shared
// store with its bus, this node's id and a logger. Passed in, never imported as a value, so the
// parts do not import one another's values.
import type { ClusterBus, RuntimeStore } from '../../../store/runtime-store.js';
import type { RuntimeCore } from '../../core.js';
import type { StoreBinding } from '../store-binding.js';

export interface ClusterContext {
  readonly core: RuntimeCore;
  readonly binding: StoreBinding;
  readonly store: RuntimeStore & { bus: ClusterBus };
  readonly bus: ClusterBus;
  readonly nodeId: string;
  log(message: string, detail: unknown): void;
}

export const TERMINAL: ReadonlySet<string> = new Set(['success', 'error', 'cancelled', 'timed_out']);
