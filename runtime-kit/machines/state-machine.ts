// A small stateful wrapper around the pure driver: one instance per session or job.
import type { MachineTable } from '../../generated/machines.js';
import { isTerminalState, transition, tryTransition } from './driver.js';

export type TransitionListener<S extends string, E extends string> = (from: S, event: E, to: S) => void;

export class StateMachine<S extends string, E extends string> {
  private current: S;
  private readonly listeners: Array<TransitionListener<S, E>> = [];

  constructor(
    readonly table: MachineTable<S, E>,
    initial: S = table.initial,
  ) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  get isTerminal(): boolean {
    return isTerminalState(this.table, this.current);
  }

  is(...states: S[]): boolean {
    return states.includes(this.current);
  }

  can(event: E): boolean {
    return tryTransition(this.table, this.current, event).ok;
  }

  /** Applies `event`; throws KitError ARCP_KIT_INVALID_TRANSITION (state unchanged) if not allowed. */
  fire(event: E): S {
    const from = this.current;
    const { state } = transition(this.table, from, event);
    this.current = state;
    for (const listener of this.listeners) listener(from, event, state);
    return state;
  }

  onTransition(listener: TransitionListener<S, E>): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i !== -1) this.listeners.splice(i, 1);
    };
  }
}
