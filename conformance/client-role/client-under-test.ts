// The harness's handle on the client under test: sends driver instructions, collects the
// driver's replies and observations, and writes both into the check's trace (as `app` lines), so
// a failure shows what the application was told next to the frames on the wire.
import { HarnessError, PeerGone, Violation } from '../checks/outcomes.js';
import type { Recorder } from '../driver/recorder.js';
import { isObservation, isReply, type Instruction, type Observation, type Outbound, type Reply } from './driver-protocol.js';

/** How instructions reach a driver and its output comes back (in-process or a child process). */
export interface DriverLink {
  readonly describe: string;
  send(instruction: Instruction): void;
  onOutput(fn: (m: Outbound) => void): void;
  /** Called once if the driver dies or writes something that is not the contract. */
  onFailure(fn: (why: string) => void): void;
  dispose(): Promise<void>;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type Command = WithoutId<Instruction>;

interface ObsWaiter {
  pred: (o: Observation) => boolean;
  resolve: (o: Observation) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class ClientUnderTest {
  readonly observations: Observation[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; op: string }>();
  private waiters: ObsWaiter[] = [];
  private failure: string | undefined;

  constructor(
    private readonly link: DriverLink,
    private readonly recorder: () => Recorder,
    private readonly timeoutMs: number,
  ) {
    link.onOutput((m) => this.onOutput(m));
    link.onFailure((why) => {
      this.failure = why;
      this.recorder().note('app', `DRIVER FAILURE: ${why}`);
      for (const p of this.pending.values()) p.reject(new PeerGone(`client driver failed: ${why}`));
      this.pending.clear();
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(new PeerGone(`client driver failed: ${why}`));
      }
      this.waiters = [];
    });
  }

  get describe(): string {
    return this.link.describe;
  }

  /** Sends one instruction; resolves with the driver's reply (ok or not). */
  do(cmd: Command, timeoutMs = this.timeoutMs * 3): Promise<Reply> {
    if (this.failure) return Promise.reject(new PeerGone(`client driver failed: ${this.failure}`));
    const id = this.nextId++;
    const instruction = { ...cmd, id } as Instruction;
    this.recorder().note('app', `> ${JSON.stringify(instruction)}`);
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Violation(`the client library did not complete "${cmd.op}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        op: cmd.op,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.link.send(instruction);
    });
  }

  /** Sends an instruction that must succeed; a refusal is a violation naming `what`. */
  async must(cmd: Command, what = cmd.op, timeoutMs?: number): Promise<Record<string, unknown>> {
    const r = await this.do(cmd, timeoutMs);
    if (!r.ok) throw new Violation(`${what}: the client library failed with ${r.error.code}${r.error.message ? ` (${r.error.message})` : ''}`);
    return r as Record<string, unknown>;
  }

  /** The first observation (already seen or future) matching `pred`. */
  waitFor(pred: (o: Observation) => boolean, what: string, timeoutMs = this.timeoutMs): Promise<Observation> {
    const seen = this.observations.find(pred);
    if (seen) return Promise.resolve(seen);
    if (this.failure) return Promise.reject(new PeerGone(`client driver failed: ${this.failure}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Violation(`the client library never showed the application ${what} (waited ${timeoutMs} ms)`));
      }, timeoutMs);
      this.waiters.push({ pred, resolve, reject, timer });
    });
  }

  /** The terminal observation (result or job_error, not a local transport failure) of a job. */
  terminal(jobId: string, timeoutMs?: number): Promise<Observation> {
    return this.waitFor((o) => (o.obs === 'result' || (o.obs === 'job_error' && !o.local)) && o.job_id === jobId, `the terminal of ${jobId}`, timeoutMs);
  }

  /** Events shown for a job, in the order shown. */
  events(jobId?: string): Extract<Observation, { obs: 'event' }>[] {
    return this.observations.filter((o): o is Extract<Observation, { obs: 'event' }> => o.obs === 'event' && (jobId === undefined || o.job_id === jobId));
  }

  /** Waits until `n` events of `jobId` were shown (or the timeout: returns what there is). */
  async eventsAtLeast(jobId: string, n: number, timeoutMs = this.timeoutMs): Promise<Extract<Observation, { obs: 'event' }>[]> {
    try {
      await this.waitFor(() => this.events(jobId).length >= n, `${n} events of ${jobId}`, timeoutMs);
    } catch (e) {
      if (!(e instanceof Violation)) throw e;
    }
    return this.events(jobId);
  }

  /** Quiet period: lets in-flight frames and observations land. */
  settle(ms = 150): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  dispose(): Promise<void> {
    // An instruction still pending when a check ends (it failed early) settles as a refusal, so no
    // caller that stopped listening sees an unhandled rejection.
    for (const [re, p] of this.pending) p.resolve({ re, ok: false, error: { code: 'HARNESS_CHECK_ENDED', message: 'check ended', local: true } });
    this.pending.clear();
    for (const w of this.waiters) clearTimeout(w.timer);
    this.waiters = [];
    return this.link.dispose();
  }

  private onOutput(m: Outbound): void {
    if (isReply(m)) {
      const p = this.pending.get(m.re);
      this.recorder().note('app', `< ${JSON.stringify(m).slice(0, 600)}`);
      if (!p) return;
      this.pending.delete(m.re);
      p.resolve(m);
      return;
    }
    if (!isObservation(m)) return;
    if (m.obs === 'log') return;
    this.recorder().note('app', `< ${JSON.stringify(m).slice(0, 600)}`);
    this.observations.push(m);
    for (const w of [...this.waiters]) {
      if (!w.pred(m)) continue;
      clearTimeout(w.timer);
      this.waiters = this.waiters.filter((x) => x !== w);
      w.resolve(m);
    }
  }
}
