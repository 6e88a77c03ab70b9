// The generator's one intermediate representation: plain readonly data, built once by
// build-model.ts from the loaded schema/ tree and consumed by every emitter (style.md item 1).

/** A JSON value as read from a schema file. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
/** A JSON object (a schema or a schema fragment). */
export type JsonObject = { readonly [key: string]: Json };

/** One source file under schema/ with the hash that goes into generated headers. */
export interface SourceRef {
  /** Machine-independent path, always starting with `schema/` (e.g. `schema/messages/job.submit.json`). */
  readonly path: string;
  /** sha256 of the file's bytes, hex. */
  readonly sha256: string;
}

/** The TypeScript / validator names derived from a wire name (one place: names.ts). */
export interface DerivedNames {
  /** Interface name, e.g. `JobSubmit` or `LogBody`. */
  readonly typeName: string;
  /** Payload interface name for messages, e.g. `JobSubmitPayload` (empty for event bodies). */
  readonly payloadName: string;
  /** Markdown anchor used by the reference docs. */
  readonly anchor: string;
  /** Per-message validator function, e.g. `validateJobSubmit` (empty for event bodies). */
  readonly validatorName: string;
  /** Per-message type guard, e.g. `isJobSubmit` (empty for event bodies). */
  readonly guardName: string;
  /** fast-check arbitrary name reserved for the conformance harness, e.g. `arbJobSubmit`. */
  readonly arbitraryName: string;
}

/** One field row as shown in the docs. */
export interface FieldModel {
  /** JSON pointer of the field from the message root, e.g. `/payload/agent`. */
  readonly pointer: string;
  readonly name: string;
  readonly required: boolean;
  /** Short human summary of the JSON type, e.g. `string`, `integer >= 1`, `"1.1"`, `Lease`. */
  readonly summary: string;
  readonly description: string;
  /** Accepted on input only (an `x-arcp-accept-extra` alias); never sent. */
  readonly acceptOnly: boolean;
}

export type Direction = 'client_to_runtime' | 'runtime_to_client' | 'both';
export type Correlation = 'connection' | 'request_id' | 'job_id' | 'nonce' | 'none';

/** A documented input variant (`schema/variants/<name>.json`) and how each mode treats it. */
export interface VariantModel {
  readonly why: string;
  readonly source: string;
  readonly strict: 'accept' | 'reject';
  readonly lenient: 'accept' | 'reject';
}

/** The protocol facts of one message (its `x-arcp` data), as checked by the loader. */
export interface MessageFacts {
  readonly type: string;
  readonly spec: string;
  readonly direction: Direction;
  readonly feature: string | null;
  readonly sequenced: boolean;
  readonly replies: readonly string[];
  readonly answers: readonly string[];
  readonly correlation: Correlation;
  /** Accepted (lenient) but never sent: the strict validator rejects every instance. */
  readonly legacy: boolean;
}

/** One wire message type (`schema/messages/<type>.json`). */
export interface MessageModel extends MessageFacts {
  readonly names: DerivedNames;
  readonly title: string;
  readonly description: string;
  readonly schemaId: string;
  readonly source: SourceRef;
  readonly fields: readonly FieldModel[];
  readonly examples: readonly Json[];
  readonly variants: readonly VariantModel[];
}

/** One `job.event` body kind (`schema/events/<kind>.json`). */
/** The protocol facts of one event kind (its `x-arcp` data), as checked by the loader. */
export interface EventKindFacts {
  readonly kind: string;
  readonly spec: string;
  readonly feature: string | null;
}

export interface EventKindModel extends EventKindFacts {
  readonly names: DerivedNames;
  readonly title: string;
  readonly description: string;
  readonly schemaId: string;
  readonly source: SourceRef;
  readonly fields: readonly FieldModel[];
  readonly examples: readonly Json[];
  readonly variants: readonly VariantModel[];
}

/** One shared definition (`schema/defs/<name>.json`). */
export interface DefModel {
  readonly name: string;
  readonly title: string;
  readonly schemaId: string;
  readonly source: SourceRef;
}

/** One §12 error code (`schema/protocol/errors.json`). */
export interface ErrorCodeModel {
  readonly code: string;
  readonly meaning: string;
  readonly retryable: boolean;
  /** The spec pins `retryable` for this code (a MUST), so senders may not choose it. */
  readonly pinned: boolean;
  readonly spec: string;
}

/** One negotiable feature flag (`schema/protocol/features.json`). */
export interface FeatureModel {
  readonly name: string;
  readonly spec: string;
  readonly gates: string;
}

export interface TransitionModel {
  readonly from: string;
  readonly event: string;
  readonly to: string;
  readonly trigger: string;
}

/** A state machine (`schema/protocol/<name>-machine.json`). */
export interface MachineModel {
  /** `session` or `job`. */
  readonly name: string;
  readonly spec: string;
  readonly constName: string;
  readonly stateTypeName: string;
  readonly eventTypeName: string;
  readonly source: SourceRef;
  readonly states: readonly string[];
  readonly initial: string;
  readonly terminal: readonly string[];
  readonly events: readonly string[];
  readonly transitions: readonly TransitionModel[];
}

/** A schema document keyed by its `$id`, in one validation mode. */
export interface SchemaDoc {
  readonly id: string;
  readonly schema: JsonObject;
}

/** Everything the emitters need to know about the protocol. */
export interface ProtocolModel {
  readonly protocolVersion: string;
  /** Every schema/ file that fed the model, sorted by path. */
  readonly sources: readonly SourceRef[];
  readonly envelope: DefModel;
  /** Field rows of the shared envelope (§5), for the docs. */
  readonly envelopeFields: readonly FieldModel[];
  readonly messages: readonly MessageModel[];
  readonly eventKinds: readonly EventKindModel[];
  readonly defs: readonly DefModel[];
  readonly errorCodes: readonly ErrorCodeModel[];
  readonly features: readonly FeatureModel[];
  readonly reservedCapabilities: readonly string[];
  readonly machines: readonly MachineModel[];
  /** Schemas as authored (the strict, emit form) with x-arcp keywords intact. */
  readonly strictSchemas: readonly SchemaDoc[];
  /** The lenient (accept) form derived from the strict one (contracts.md §1). */
  readonly lenientSchemas: readonly SchemaDoc[];
  /** One root schema with every message, event body and def under `$defs`, refs made internal. */
  readonly bundle: JsonObject;
}
