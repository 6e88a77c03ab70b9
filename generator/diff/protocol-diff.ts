// `arcp schema diff`: what a change from one schema tree to another does to peers already
// deployed. Every wire shape is judged in both directions of its flow:
// - old senders -> new receivers: an old frame must still pass the new receiver (old strict ⊆ new);
// - new senders -> old receivers: a new frame must still pass the old receiver (new strict ⊆ old).
// Receivers are judged twice, strict and lenient (the lenient form accepts the documented
// variants), so a change that only a strict peer refuses is named as such. A message or event
// kind behind a feature flag that the old tree does not know is never sent to old peers (§6.2).
import type { Direction, MessageModel, ProtocolModel } from '../model/ir.js';
import { SubsetChecker, type SubsetReason } from './schema-subset.js';

export type Flow = 'old senders -> new receivers' | 'new senders -> old receivers';

export interface SchemaChange {
  /** `message job.submit`, `event progress`, `feature subscribe`. */
  readonly subject: string;
  /** Instance path inside the frame or body (empty for whole-message changes). */
  readonly path: string;
  readonly what: string;
  readonly breaking: boolean;
  /** Which deployed peers fail, e.g. "old clients -> new runtimes". */
  readonly peers: string;
  /** True when only receivers validating strictly refuse (lenient receivers accept). */
  readonly strictOnly: boolean;
}

export interface SchemaDiff {
  readonly changes: readonly SchemaChange[];
  readonly breaking: number;
}

const SENDERS: Record<Direction, string> = { client_to_runtime: 'clients', runtime_to_client: 'runtimes', both: 'peers' };
const RECEIVERS: Record<Direction, string> = { client_to_runtime: 'runtimes', runtime_to_client: 'clients', both: 'peers' };

interface Checkers {
  readonly oldToNewStrict: SubsetChecker;
  readonly oldToNewLenient: SubsetChecker;
  readonly newToOldStrict: SubsetChecker;
  readonly newToOldLenient: SubsetChecker;
}

function checkers(before: ProtocolModel, after: ProtocolModel): Checkers {
  return {
    oldToNewStrict: new SubsetChecker(before.strictSchemas, after.strictSchemas),
    oldToNewLenient: new SubsetChecker(before.strictSchemas, after.lenientSchemas),
    newToOldStrict: new SubsetChecker(after.strictSchemas, before.strictSchemas),
    newToOldLenient: new SubsetChecker(after.strictSchemas, before.lenientSchemas),
  };
}

/** One shape that exists on both sides: four subset questions, merged into changes. */
function compareShape(
  subject: string, direction: Direction, oldId: string, newId: string, c: Checkers, out: SchemaChange[],
): void {
  const flows: [Flow, SubsetChecker, SubsetChecker, string, string][] = [
    ['old senders -> new receivers', c.oldToNewStrict, c.oldToNewLenient, oldId, newId],
    ['new senders -> old receivers', c.newToOldStrict, c.newToOldLenient, newId, oldId],
  ];
  for (const [flow, strict, lenient, x, y] of flows) {
    const strictReasons = strict.compareDocuments(x, y);
    const lenientKeys = new Set(lenient.compareDocuments(x, y).map(keyOf));
    const peers = flow === 'old senders -> new receivers'
      ? `old ${SENDERS[direction]} -> new ${RECEIVERS[direction]}`
      : `new ${SENDERS[direction]} -> old ${RECEIVERS[direction]}`;
    for (const r of strictReasons) {
      out.push({ subject, path: r.path, what: r.what, breaking: true, peers, strictOnly: !lenientKeys.has(keyOf(r)) });
    }
  }
}

const keyOf = (r: SubsetReason) => `${r.path}\u0000${r.what}`;

function factChanges(before: MessageModel, after: MessageModel, out: SchemaChange[]): void {
  const subject = `message ${after.type}`;
  const push = (what: string, breaking: boolean, peers: string) => out.push({ subject, path: '', what, breaking, peers, strictOnly: false });
  if (before.direction !== after.direction) push(`direction ${before.direction} -> ${after.direction}`, true, 'every peer');
  if (before.sequenced !== after.sequenced) push(`sequenced ${before.sequenced} -> ${after.sequenced} (event_seq accounting)`, true, 'every peer');
  if (before.feature !== after.feature) push(`feature ${String(before.feature)} -> ${String(after.feature)}`, true, 'peers that negotiate only one of them');
  if (before.correlation !== after.correlation) push(`correlation ${before.correlation} -> ${after.correlation}`, true, `old ${SENDERS[after.direction]} waiting for replies`);
  const added = after.replies.filter((r) => !before.replies.includes(r));
  const removed = before.replies.filter((r) => !after.replies.includes(r));
  if (added.length > 0) push(`new reply ${added.join(', ')}`, true, `old ${SENDERS[after.direction]} that wait only for ${before.replies.join(', ') || 'nothing'}`);
  if (removed.length > 0) push(`reply ${removed.join(', ')} no longer sent`, false, `old ${SENDERS[after.direction]}`);
}

export function diffProtocols(before: ProtocolModel, after: ProtocolModel): SchemaDiff {
  const c = checkers(before, after);
  const out: SchemaChange[] = [];
  const oldFeatures = new Set(before.features.map((f) => f.name));
  const gatedByNewFeature = (feature: string | null) => feature !== null && !oldFeatures.has(feature);

  const oldMessages = new Map(before.messages.map((m) => [m.type, m]));
  const newMessages = new Map(after.messages.map((m) => [m.type, m]));
  for (const [type, m] of newMessages) {
    const old = oldMessages.get(type);
    if (old === undefined) {
      const gated = gatedByNewFeature(m.feature);
      out.push({
        subject: `message ${type}`, path: '', what: gated ? `new message, behind the new feature "${m.feature}"` : 'new message type',
        // No old receiver can act on a type it does not know, lenient or not.
        breaking: !gated, peers: `new ${SENDERS[m.direction]} -> old ${RECEIVERS[m.direction]}`, strictOnly: false,
      });
      continue;
    }
    factChanges(old, m, out);
    compareShape(`message ${type}`, m.direction, old.schemaId, m.schemaId, c, out);
  }
  for (const [type, m] of oldMessages) {
    if (!newMessages.has(type)) {
      out.push({ subject: `message ${type}`, path: '', what: 'message type removed', breaking: true, peers: `old ${SENDERS[m.direction]} -> new ${RECEIVERS[m.direction]}`, strictOnly: false });
    }
  }

  const oldKinds = new Map(before.eventKinds.map((e) => [e.kind, e]));
  const newKinds = new Map(after.eventKinds.map((e) => [e.kind, e]));
  for (const [kind, e] of newKinds) {
    const old = oldKinds.get(kind);
    if (old === undefined) {
      const gated = gatedByNewFeature(e.feature);
      out.push({
        subject: `event ${kind}`, path: '', what: gated ? `new event kind, behind the new feature "${e.feature}"` : 'new reserved event kind',
        // Lenient clients ignore kinds they do not know (catalog position); strict ones refuse the event.
        breaking: !gated, peers: 'new runtimes -> old clients', strictOnly: !gated,
      });
      continue;
    }
    if (old.feature !== e.feature) {
      out.push({ subject: `event ${kind}`, path: '', what: `feature ${String(old.feature)} -> ${String(e.feature)}`, breaking: true, peers: 'clients that negotiate only one of them', strictOnly: false });
    }
    compareShape(`event ${kind}`, 'runtime_to_client', old.schemaId, e.schemaId, c, out);
  }
  for (const [kind] of oldKinds) {
    if (!newKinds.has(kind)) out.push({ subject: `event ${kind}`, path: '', what: 'event kind removed', breaking: true, peers: 'old runtimes -> new clients', strictOnly: false });
  }

  const newFeatures = new Set(after.features.map((f) => f.name));
  for (const f of oldFeatures) {
    if (!newFeatures.has(f)) out.push({ subject: `feature ${f}`, path: '', what: 'feature flag removed', breaking: true, peers: 'old peers that negotiate it', strictOnly: false });
  }
  for (const f of newFeatures) {
    if (!oldFeatures.has(f)) out.push({ subject: `feature ${f}`, path: '', what: 'new feature flag (negotiated, so old peers never see it)', breaking: false, peers: 'none', strictOnly: false });
  }
  const sorted = out.sort((a, b) => (a.subject + a.path + a.what < b.subject + b.path + b.what ? -1 : 1));
  return { changes: sorted, breaking: sorted.filter((x) => x.breaking).length };
}
