// Plausible client bugs, injected into arcp-kit's client from test code only (transport
// wrappers, instance patches, prototype patches restored after each run): the client-role
// harness must catch every one with a MUST check. Nothing here is reachable from runtime-kit.
import { ERROR_CODES } from '../../../generated/registry.js';
import type { ARCPClient } from '../../../runtime-kit/client/index.js';
import { ChunkAssembler } from '../../../runtime-kit/client/chunk-assembler.js';
import type { Transport, TransportHandlers } from '../../../runtime-kit/transport/types.js';
import type { ArcpKitDriverHooks } from '../../client-role/drivers/arcp-kit.js';

type Msg = Record<string, any>;

/** A transport whose outbound and inbound frames pass through `out` / `inb` (return undefined to drop). */
function wrapTransport(t: Transport, out?: (m: Msg, send: (m: Msg) => void) => Msg | undefined, inb?: (m: Msg) => Msg | undefined): Transport {
  const send = (m: Msg) => t.send(JSON.stringify(m));
  return {
    get isOpen() {
      return t.isOpen;
    },
    get bufferedAmount() {
      return t.bufferedAmount;
    },
    start(h: TransportHandlers) {
      t.start({
        ...h,
        message: (frame: string) => {
          if (!inb) return h.message(frame);
          let m: Msg;
          try {
            m = JSON.parse(frame);
          } catch {
            return h.message(frame);
          }
          const r = inb(m);
          if (r) h.message(r === m ? frame : JSON.stringify(r));
        },
      });
    },
    send(frame: string) {
      if (!out) return t.send(frame);
      const r = out(JSON.parse(frame), send);
      if (r) t.send(JSON.stringify(r));
    },
    close: (reason?: string) => t.close(reason),
  } as Transport;
}

const core = (c: ARCPClient): any => (c as any).core;

export interface ClientFault {
  readonly hooks?: ArcpKitDriverHooks;
  /** Global patch for the duration of one run; returns the undo. */
  readonly patch?: () => () => void;
  /** The MUST check that must fail. */
  readonly caughtBy: string;
}

const KNOWN_TOP = new Set(['arcp', 'id', 'type', 'session_id', 'job_id', 'trace_id', 'event_seq', 'payload', 'extensions']);

export const CLIENT_FAULTS: Readonly<Record<string, ClientFault>> = {
  'ack-above-latest': {
    hooks: { wrapTransport: (t) => wrapTransport(t, (m) => (m.type === 'session.ack' ? { ...m, payload: { last_processed_seq: m.payload.last_processed_seq + 5 } } : m)) },
    caughtBy: '6.5/client/acks-never-above-received',
  },
  'ack-flood-ahead': {
    hooks: {
      wrapTransport: (t) => {
        let sid: string | undefined;
        const w = wrapTransport(t, (m) => ((sid = m.session_id ?? sid), m), (m) => {
          if (m.type === 'job.event' && sid) t.send(JSON.stringify({ arcp: '1.1', id: `msg_${Date.now()}${Math.random()}`.slice(0, 30), type: 'session.ack', session_id: sid, payload: { last_processed_seq: m.event_seq + 1 } }));
          return m;
        });
        return w;
      },
    },
    caughtBy: '6.5/client/acks-never-above-received',
  },
  'resume-from-earlier-seq': {
    hooks: { wrapTransport: (t) => wrapTransport(t, (m) => (m.payload?.resume ? { ...m, payload: { ...m.payload, resume: { ...m.payload.resume, last_event_seq: Math.max(0, m.payload.resume.last_event_seq - 1) } } } : m)) },
    caughtBy: '6.3/client/resume-presents-last-seq',
  },
  'resume-seq-ahead': {
    hooks: { wrapTransport: (t) => wrapTransport(t, (m) => (m.payload?.resume ? { ...m, payload: { ...m.payload, resume: { ...m.payload.resume, last_event_seq: m.payload.resume.last_event_seq + 1 } } } : m)) },
    caughtBy: '8.3/client/gap-not-skipped',
  },
  'resume-wrong-session': {
    hooks: { wrapTransport: (t) => wrapTransport(t, (m) => (m.payload?.resume ? { ...m, payload: { ...m.payload, resume: { ...m.payload.resume, session_id: 'sess_01J0000000000000000000WRNG' } } } : m)) },
    caughtBy: '6.3/client/resume-presents-last-seq',
  },
  'resume-with-first-token': {
    hooks: {
      patchClient: (c) => {
        let first: string | undefined;
        const k = core(c);
        const accept = k.acceptWelcome.bind(k);
        k.acceptWelcome = (link: unknown, env: Msg) => {
          first ??= env.payload?.resume_token;
          accept(link, env);
          if (k.welcome && first) k.welcome.resumeToken = first;
        };
      },
    },
    caughtBy: '6.3/client/resume-uses-rotated-token',
  },
  'accept-gap-silently': {
    hooks: {
      patchClient: (c) => {
        const tr = core(c).tracker;
        tr.observe = function (seq: number) {
          if (seq <= this.last) return 'duplicate';
          this.last = seq;
          return 'next';
        };
      },
    },
    caughtBy: '8.3/client/gap-not-skipped',
  },
  'show-duplicates': {
    hooks: {
      patchClient: (c) => {
        const tr = core(c).tracker;
        tr.observe = function (seq: number) {
          if (seq > this.last) this.last = seq;
          return 'next';
        };
      },
    },
    caughtBy: '8.3/client/duplicate-frames-not-shown-twice',
  },
  'dedupe-by-content': {
    hooks: {
      wrapTransport: (t) => {
        const seen = new Set<string>();
        return wrapTransport(t, undefined, (m) => {
          if (m.type !== 'job.event') return m;
          const key = JSON.stringify([m.job_id, m.payload?.kind, m.payload?.ts, m.payload?.body]);
          if (seen.has(key)) return undefined;
          seen.add(key);
          return m;
        });
      },
    },
    caughtBy: '8.3/client/identical-distinct-events-kept',
  },
  'chunks-in-arrival-order': {
    patch: () => {
      const orig = ChunkAssembler.prototype.take;
      ChunkAssembler.prototype.take = function (id: string) {
        const list = (this as any).byResult.get(id);
        if (list) list.forEach((c: any, i: number) => (c.seq = i)); // forget chunk_seq: arrival order wins
        return orig.call(this, id);
      };
      return () => (ChunkAssembler.prototype.take = orig);
    },
    caughtBy: '8.4/client/out-of-order-chunk-seq',
  },
  'chunk-hole-ignored': {
    patch: () => {
      const orig = ChunkAssembler.prototype.take;
      ChunkAssembler.prototype.take = function (id: string) {
        const list = (this as any).byResult.get(id);
        if (list) [...list].sort((a: any, b: any) => a.seq - b.seq).forEach((c: any, i: number) => (c.seq = i)); // close holes
        return orig.call(this, id);
      };
      return () => (ChunkAssembler.prototype.take = orig);
    },
    caughtBy: '8.4/client/missing-chunk-not-assembled',
  },
  'retryable-from-wire': {
    patch: () => {
      const codes = ERROR_CODES as Record<string, { pinned: boolean }>;
      const pinned = Object.keys(codes).filter((k) => codes[k].pinned);
      for (const k of pinned) codes[k].pinned = false;
      return () => pinned.forEach((k) => (codes[k].pinned = true));
    },
    caughtBy: '12/client/pinned-retryable',
  },
  'send-after-close': {
    hooks: {
      wrapTransport: (t) =>
        wrapTransport(t, (m, send) => {
          if (m.type === 'session.close') queueMicrotask(() => send({ arcp: '1.1', id: 'msg_01J000000000000000000LATE0', type: 'session.ping', session_id: m.session_id, payload: { nonce: 'late', sent_at: new Date().toISOString() } }));
          return m;
        }),
    },
    caughtBy: '6.7/client/nothing-after-close',
  },
  'ignore-negotiated-features': {
    hooks: { patchClient: (c) => void (core(c).has = () => true) },
    caughtBy: '6.2/client/no-feature-outside-intersection',
  },
  'cancel-target-in-payload': {
    hooks: { wrapTransport: (t) => wrapTransport(t, (m) => (m.type === 'job.cancel' ? { ...m, job_id: undefined, payload: { ...m.payload, job_id: m.job_id } } : m)) },
    caughtBy: '7.4/client/cancel-targets-job',
  },
  'pong-wrong-nonce': {
    hooks: { wrapTransport: (t) => wrapTransport(t, (m) => (m.type === 'session.pong' ? { ...m, payload: { ...m.payload, ping_nonce: `${m.payload.ping_nonce}x` } } : m)) },
    caughtBy: '6.4/client/pong-echoes-nonce',
  },
  'drop-vendor-kind-frames': {
    hooks: { wrapTransport: (t) => wrapTransport(t, undefined, (m) => (m.type === 'job.event' && !/^[a-z_]+$/.test(String(m.payload?.kind)) ? undefined : m.type === 'job.event' && m.payload?.kind === 'future_kind' ? undefined : m)) },
    caughtBy: '8.2/client/vendor-kinds-tolerated',
  },
  'strict-unknown-fields': {
    hooks: { wrapTransport: (t) => wrapTransport(t, undefined, (m) => (Object.keys(m).some((k) => !KNOWN_TOP.has(k)) ? undefined : m)) },
    caughtBy: '5/client/unknown-envelope-fields-ignored',
  },
};
