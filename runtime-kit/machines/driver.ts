// Pure driver over the generated state-machine tables (style.md item 10, catalog §8).
// An event with no table entry for the current state is an error, never silently dropped.
import type { MachineTable } from '../../generated/machines.js';
import { KitError, KIT_ERROR_CODES } from '../errors/kit-error.js';

export type TransitionResult<S extends string> = { ok: true; state: S } | { ok: false; error: KitError };

/** Next state for (state, event), or a KitError ARCP_KIT_INVALID_TRANSITION. Never throws. */
export function tryTransition<S extends string, E extends string>(
  table: MachineTable<S, E>,
  state: S,
  event: E,
): TransitionResult<S> {
  const row = Object.prototype.hasOwnProperty.call(table.table, state) ? table.table[state] : undefined;
  const next = row && Object.prototype.hasOwnProperty.call(row, event) ? row[event] : undefined;
  if (next !== undefined) return { ok: true, state: next };
  const terminal = table.terminal.includes(state);
  return {
    ok: false,
    error: new KitError(
      KIT_ERROR_CODES.INVALID_TRANSITION,
      `${table.name}: event '${event}' is not allowed in ${terminal ? 'terminal ' : ''}state '${state}'`,
      { details: { machine: table.name, state, event, terminal } },
    ),
  };
}

/** Next state for (state, event); throws KitError ARCP_KIT_INVALID_TRANSITION when not allowed. */
export function transition<S extends string, E extends string>(
  table: MachineTable<S, E>,
  state: S,
  event: E,
): { state: S } {
  const result = tryTransition(table, state, event);
  if (!result.ok) throw result.error;
  return { state: result.state };
}

export function isTerminalState<S extends string, E extends string>(table: MachineTable<S, E>, state: S): boolean {
  return table.terminal.includes(state);
}

/** Events allowed from `state`, in table order. */
export function allowedEvents<S extends string, E extends string>(table: MachineTable<S, E>, state: S): E[] {
  return Object.keys(table.table[state] ?? {}) as E[];
}
