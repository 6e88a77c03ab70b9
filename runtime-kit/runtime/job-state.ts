// The job lifecycle (§7.3) as the generated JOB_MACHINE table run by machines/:
// pending -start-> running -succeed|fail|cancel|time_out-> success|error|cancelled|timed_out.
// A second terminal is an invalid transition (typed KitError), never a second envelope.
import type { JobMachineEvent } from '../../generated/index.js';
import { JOB_MACHINE, StateMachine, type JobState } from '../machines/index.js';

export type TerminalState = 'success' | 'error' | 'cancelled' | 'timed_out';

const EVENT_FOR: Record<TerminalState, JobMachineEvent> = {
  success: 'succeed',
  error: 'fail',
  cancelled: 'cancel',
  timed_out: 'time_out',
};

export function newJobMachine(): StateMachine<JobState, JobMachineEvent> {
  return new StateMachine(JOB_MACHINE);
}

export function terminalEvent(state: TerminalState): JobMachineEvent {
  return EVENT_FOR[state];
}
