// machines/: pure driver over generated/machines.ts tables (style.md item 10).
export { allowedEvents, isTerminalState, transition, tryTransition, type TransitionResult } from './driver.js';
export { StateMachine, type TransitionListener } from './state-machine.js';
export { JOB_MACHINE, SESSION_MACHINE } from '../../generated/machines.js';
export type { JobState, MachineTable, SessionState, Transition } from '../../generated/machines.js';
