// Jobs of nodes that died (liveness key expired) end with the restart terminal
// (restart-terminal.ts) on a live node: a claim ends its session's (session-homes.ts), the home
// of a session ends that session's jobs of a node that died after the claim, and a periodic
// sweep claims sessions whose home died and that nobody resumes, so every job of a dead node
// ends within about two liveness periods.
import type { JobRecord } from '../../../store/runtime-store.js';
import type { Session } from '../../session.js';
import { detachedOwner } from '../detached-owner.js';
import { runtimeRestartedError } from '../restart-terminal.js';
import { rebuildJob } from '../restore.js';
import { TERMINAL, type ClusterContext } from './context.js';

export interface DeadNodesDeps {
  claim(sessionId: string): Promise<Session | undefined>;
  /** Forgets handed-over sessions that no longer run jobs here (session-homes.ts). */
  forgetIdleReleased(): void;
}

export class DeadNodes {
  constructor(
    private readonly cx: ClusterContext,
    private readonly deps: DeadNodesDeps,
  ) {}

  /** A job of a dead node: its terminal, sequenced in its (now local) session, and its record. */
  endOrphan(record: JobRecord, session: Session): void {
    const { core } = this.cx;
    const job = rebuildJob(core, record, session);
    core.jobs.add(job);
    core.runner.finishError(job, runtimeRestartedError({ node_id: record.node_id }));
  }

  /** Sessions whose home died and that nobody resumes: claim them so their jobs end. */
  async sweep(): Promise<void> {
    const { core, store, bus, nodeId } = this.cx;
    this.deps.forgetIdleReleased();
    const dead = new Map<string, boolean>();
    const isDead = async (node: string): Promise<boolean> => {
      // Declared dead (fenced) before any of its jobs is ended here.
      if (!dead.has(node)) dead.set(node, node !== nodeId && (await bus.declareDead(node)));
      return dead.get(node)!;
    };
    for (const record of await store.loadJobs()) {
      if (TERMINAL.has(record.status) || record.node_id === undefined || !(await isDead(record.node_id))) continue;
      if (core.jobs.get(record.job_id)) continue;
      const home = core.sessions.get(record.session_id);
      if (home) {
        // The session lives here; its job's node died after the claim: end the job here.
        this.endOrphan(record, home);
        continue;
      }
      const session = await store.loadSession(record.session_id);
      if (session) {
        // A live home ends its own session's orphans (above); taking the session from it would
        // cut its client off. Otherwise claim it: that ends its jobs of dead nodes.
        if (session.node_id !== undefined && session.node_id !== nodeId && !(await isDead(session.node_id))) continue;
        await this.deps.claim(record.session_id);
      } else {
        // The session is gone: the job ends without a stream (listed as error).
        this.endOrphan(record, detachedOwner(core, record.session_id, record.principal));
      }
    }
  }
}
