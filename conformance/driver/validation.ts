// The only door to the generated validators: peer frames are checked against the lenient
// (accept) schemas, harness frames against the strict (emit) schemas (contracts.md §2).
import { validateEnvelope, validateEventBody, validateMessage } from '../../generated/validators.js';

export interface FrameProblem {
  readonly where: string;
  readonly issues: string;
}

function formatIssues(issues: readonly { path: string; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path || '/'} ${i.message}`)
    .join('; ');
}

/** Validates one parsed peer frame (lenient); also its event body when it is a `job.event`. */
export function checkPeerFrame(msg: unknown): FrameProblem | undefined {
  const type = (msg as { type?: unknown })?.type;
  // catalog §2.17 / §10 #26: vendor message types are legal; only their envelope is ours to judge
  const res = typeof type === 'string' && type.startsWith('x-vendor.') ? validateEnvelope('lenient', msg) : validateMessage('lenient', msg);
  if (!res.ok) {
    return { where: String((msg as { type?: unknown })?.type ?? '?'), issues: formatIssues(res.issues) };
  }
  const m = msg as { type: string; payload?: { kind?: unknown; body?: unknown } };
  if (m.type === 'job.event' && typeof m.payload?.kind === 'string') {
    const body = validateEventBody('lenient', m.payload.kind, m.payload.body);
    if (body.ok === false) return { where: `job.event ${m.payload.kind}`, issues: formatIssues(body.issues) };
  }
  return undefined;
}

/** Validates a harness frame against the strict schema; undefined when it is valid. */
export function checkHarnessFrame(msg: unknown): FrameProblem | undefined {
  const res = validateMessage('strict', msg);
  if (res.ok) return undefined;
  return { where: String((msg as { type?: unknown })?.type ?? '?'), issues: formatIssues(res.issues) };
}
