// The client driver contract (docs/client-driver.md): what the harness asks a driver to make its
// client library do, and what the driver reports the library showed the application. One JSON
// object per line in each direction. Field names are snake_case like the wire.

/** Harness -> driver. Every instruction has an `id`; the driver answers each with one Reply. */
export type Instruction =
  | ({ id: number; op: 'connect'; token: string; features?: string[]; auto_ack?: boolean; auto_resume?: boolean } & Endpoint)
  | {
      id: number;
      op: 'submit';
      agent: string;
      input?: unknown;
      lease_request?: Record<string, string[]>;
      lease_constraints?: { expires_at?: string };
      idempotency_key?: string;
      max_runtime_sec?: number;
    }
  | { id: number; op: 'cancel'; job_id: string; reason?: string }
  | { id: number; op: 'list'; filter?: Record<string, unknown>; limit?: number; cursor?: string | null }
  | { id: number; op: 'subscribe'; job_id: string; history?: boolean; from_event_seq?: number }
  | { id: number; op: 'unsubscribe'; job_id: string }
  | { id: number; op: 'ack'; seq?: number }
  | ({ id: number; op: 'resume' } & Endpoint)
  | { id: number; op: 'state' }
  | { id: number; op: 'close'; reason?: string };

export type Op = Instruction['op'];

/** A typed error as the client library surfaced it. `local`: refused without anything sent. */
export interface ErrorReport {
  code: string;
  retryable?: boolean;
  message?: string;
  local?: boolean;
}

/** Driver -> harness: the answer to one instruction. */
export type Reply = { re: number; ok: true; [k: string]: unknown } | { re: number; ok: false; error: ErrorReport };

/** Driver -> harness, unsolicited: what the library showed the application, in that order. */
export type Observation =
  | { obs: 'event'; job_id: string; seq: number; kind: string; body: unknown }
  | { obs: 'result'; job_id: string; result?: unknown; result_base64?: string; result_id?: string }
  | ({ obs: 'job_error'; job_id: string; final_status?: string } & ErrorReport)
  | ({ obs: 'session_error' } & ErrorReport)
  | { obs: 'gap'; expected?: number; got?: number }
  | { obs: 'disconnected'; reason?: string }
  | { obs: 'resumed'; session_id?: string }
  | { obs: 'protocol_error'; message?: string }
  | { obs: 'log'; message: string };

export type Outbound = Reply | Observation;

export function isReply(m: unknown): m is Reply {
  return !!m && typeof m === 'object' && typeof (m as { re?: unknown }).re === 'number';
}

export function isObservation(m: unknown): m is Observation {
  return !!m && typeof m === 'object' && typeof (m as { obs?: unknown }).obs === 'string';
}

/**
 * Where the client's runtime is: a WebSocket `url`, or with `transport: "stdio"` a `command` the
 * client spawns (`sh -c command`) and speaks NDJSON to on its stdin/stdout. Reconnects and
 * resumes spawn the command again. `url` is always present (a driver without stdio may use it).
 */
export type Endpoint = { url: string; transport?: 'ws' } | { url: string; transport: 'stdio'; command: string };
