// Depth, live fan-out and lifetime size of delegation trees (issue 13: a 190 KB submit of nested
// delegations made 2,001 jobs). A slot is taken when the agent asks, before anything is
// awaited, so concurrent `ctx.delegate` calls cannot race past the fan-out bound; it is given
// back when the child ends (or the delegation is refused later). The tree-size count is never
// given back: it bounds the work one submit can cause over its whole life.
//
// ARCP has no limit code: the refusal is PERMISSION_DENIED (the runtime's policy refuses the
// operation, §12) with `details: {reason: 'limit_exceeded', limit, max}`; only the fan-out
// refusal is retryable (a slot frees when a child ends).
import type { ARCPError } from '../../errors/index.js';
import type { Job } from '../job.js';
import { limitError } from '../limits/limit-errors.js';
import type { RuntimeLimits } from '../limits/limits-options.js';

interface Tree {
  size: number;
}

interface Placement {
  depth: number;
  tree: Tree;
  liveChildren: number;
}

export interface DelegationSlot {
  /** The child job exists: it inherits depth and tree. */
  placed(child: Job): void;
  /** The child ended, or was never created (then it does not count in the tree): the fan-out slot frees. Idempotent. */
  release(): void;
}

export class DelegationBounds {
  private readonly placements = new WeakMap<Job, Placement>();

  constructor(private readonly limits: Readonly<RuntimeLimits>) {}

  /** A slot for one more child of `parent`, or the typed refusal. */
  admit(parent: Job): DelegationSlot | ARCPError {
    const at = this.placementOf(parent);
    const { maxDelegationDepth: maxDepth, maxDelegationFanOut: maxFanOut, maxDelegationTreeSize: maxTree } = this.limits;
    if (at.depth + 1 > maxDepth) {
      return limitError('PERMISSION_DENIED', 'maxDelegationDepth', maxDepth, `delegation deeper than ${maxDepth} levels`, { retryable: false, details: { depth: at.depth + 1 } });
    }
    if (at.liveChildren + 1 > maxFanOut) {
      return limitError('PERMISSION_DENIED', 'maxDelegationFanOut', maxFanOut, `job ${parent.jobId} already has ${at.liveChildren} live delegated jobs`, { retryable: true });
    }
    if (at.tree.size + 1 > maxTree) {
      return limitError('PERMISSION_DENIED', 'maxDelegationTreeSize', maxTree, `the delegation tree already made ${at.tree.size} jobs`, { retryable: false });
    }
    at.liveChildren++;
    at.tree.size++;
    let held = true;
    let placed = false;
    return {
      placed: (child) => {
        placed = true;
        this.placements.set(child, { depth: at.depth + 1, tree: at.tree, liveChildren: 0 });
      },
      release: () => {
        if (!held) return;
        held = false;
        at.liveChildren--;
        if (!placed) at.tree.size--; // refused after admission: no job was made
      },
    };
  }

  /** A job nobody delegated (a submit) is the root of its own tree: depth 0, size 1. */
  private placementOf(job: Job): Placement {
    let p = this.placements.get(job);
    if (!p) {
      p = { depth: 0, tree: { size: 1 }, liveChildren: 0 };
      this.placements.set(job, p);
    }
    return p;
  }
}
