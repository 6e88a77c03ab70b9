import { describe, expect, it } from 'vitest';
import { JOB_MACHINE, SESSION_MACHINE, type MachineTable } from '../../../generated/machines.js';
import { isKitError } from '../../errors/kit-error.js';
import { allowedEvents, isTerminalState, StateMachine, transition, tryTransition } from '../index.js';

// Every (state, event) pair of a table, with the expected outcome taken from the transition
// list (the table's source of truth) rather than from the lookup table the driver reads.
function pairs<S extends string, E extends string>(m: MachineTable<S, E>): Array<[S, E, S | undefined]> {
  const events = [...new Set(m.transitions.map((t) => t.event))];
  return m.states.flatMap((s) =>
    events.map((e): [S, E, S | undefined] => [s, e, m.transitions.find((t) => t.from === s && t.event === e)?.to]),
  );
}

describe.each([
  ['job', JOB_MACHINE],
  ['session', SESSION_MACHINE],
] as const)('%s machine: every (state, event) pair', (_name, machine) => {
  const m = machine as MachineTable<string, string>;
  it.each(pairs(m))('%s --%s--> %s', (state, event, expected) => {
    const result = tryTransition(m, state, event);
    if (expected === undefined) {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(isKitError(result.error, 'ARCP_KIT_INVALID_TRANSITION')).toBe(true);
        expect(result.error.details).toMatchObject({ machine: m.name, state, event });
      }
      expect(() => transition(m, state, event)).toThrowError(/not allowed/);
    } else {
      expect(result).toEqual({ ok: true, state: expected });
      expect(transition(m, state, event)).toEqual({ state: expected });
    }
  });

  it('terminal states accept no event', () => {
    for (const s of m.terminal) expect(allowedEvents(m, s)).toEqual([]);
  });

  it('unknown events and states are rejected, not dropped', () => {
    expect(tryTransition(m, m.initial, 'no_such_event').ok).toBe(false);
    expect(tryTransition(m, 'no_such_state', m.transitions[0]!.event).ok).toBe(false);
    // Prototype keys are not table entries.
    expect(tryTransition(m, m.initial, 'toString').ok).toBe(false);
  });
});

describe('job machine facts (spec §7.3, catalog §8.1)', () => {
  it('pending -> running -> success, and exactly one terminal', () => {
    const job = new StateMachine(JOB_MACHINE);
    expect(job.state).toBe('pending');
    expect(job.fire('start')).toBe('running');
    expect(job.is('running')).toBe(true);
    expect(job.isTerminal).toBe(false);
    job.fire('succeed');
    expect(job.isTerminal).toBe(true);
    for (const e of ['fail', 'cancel', 'time_out', 'succeed'] as const) {
      let caught: unknown;
      try {
        job.fire(e);
      } catch (err) {
        caught = err;
      }
      expect(isKitError(caught, 'ARCP_KIT_INVALID_TRANSITION')).toBe(true);
      expect(job.state).toBe('success');
    }
  });

  it('has the four terminal states of the spec', () => {
    expect([...JOB_MACHINE.terminal].sort()).toEqual(['cancelled', 'error', 'success', 'timed_out']);
    expect(isTerminalState(JOB_MACHINE, 'timed_out')).toBe(true);
    expect(isTerminalState(JOB_MACHINE, 'pending')).toBe(false);
  });
});

describe('StateMachine', () => {
  it('reports transitions to listeners and stops after unsubscribe', () => {
    const session = new StateMachine(SESSION_MACHINE);
    const seen: string[] = [];
    const off = session.onTransition((from, event, to) => seen.push(`${from}:${event}:${to}`));
    session.fire('hello_accepted');
    off();
    session.fire('transport_closed');
    expect(seen).toEqual(['opening:hello_accepted:accepted']);
    expect(session.state).toBe('detached');
    expect(session.can('resumed')).toBe(true);
    expect(session.can('hello_accepted')).toBe(false);
  });

  it('a rejected event leaves the state unchanged and notifies nobody', () => {
    const session = new StateMachine(SESSION_MACHINE);
    let calls = 0;
    session.onTransition(() => calls++);
    expect(() => session.fire('resumed')).toThrowError(/opening/);
    expect(session.state).toBe('opening');
    expect(calls).toBe(0);
  });
});
