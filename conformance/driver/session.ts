// Handshake, resume and close helpers, in the two wire profiles:
//  - interop: resume through `session.hello.payload.resume` (the form TS, Go and Python speak,
//    catalog §9 #1), close through `session.close` accepting `session.closed`, a `session.error`
//    or a plain transport close (catalog §9 #2);
//  - spec: the draft's own forms, `session.resume` and `session.close` -> `session.closed`.
import { PeerGone, Violation } from '../checks/outcomes.js';
import type { PeerConnection } from './connection.js';
import { ALL_FEATURES, envelope, field, type Envelope } from './wire.js';

export type Profile = 'interop' | 'spec';

export interface Session {
  readonly conn: PeerConnection;
  readonly sessionId: string;
  readonly resumeToken: string;
  readonly welcome: Envelope;
  /** The effective feature set: what we asked ∩ what the welcome lists (§6.2). */
  readonly features: readonly string[];
  readonly token: string;
}

export interface HelloOptions {
  token: string;
  features?: readonly string[];
  /** Hello-embedded resume block (interop profile). */
  resume?: { session_id: string; resume_token: string; last_event_seq: number };
  /** Wait for the welcome this long (default: the connection's expect timeout). */
  timeoutMs?: number;
}

export function helloEnvelope(opts: HelloOptions): Envelope {
  const payload: Record<string, unknown> = {
    client: { name: 'arcp-conformance', version: '0.1.0' },
    auth: { scheme: 'bearer', token: opts.token },
    capabilities: { encodings: ['json'], features: [...(opts.features ?? ALL_FEATURES)] },
  };
  if (opts.resume) payload.resume = opts.resume;
  return envelope('session.hello', payload);
}

/** Reads a welcome into a Session; throws a Violation if it lacks what §6.2 requires. */
export function sessionFromWelcome(conn: PeerConnection, welcome: Envelope, asked: readonly string[], token: string): Session {
  const sessionId = welcome.session_id ?? field(welcome, 'payload', 'session_id');
  if (typeof sessionId !== 'string' || sessionId === '') throw new Violation('session.welcome carries no session_id', { frame: welcome });
  const resumeToken = field(welcome, 'payload', 'resume_token');
  if (typeof resumeToken !== 'string' || resumeToken === '') throw new Violation('session.welcome carries no resume_token', { frame: welcome });
  const offered = field(welcome, 'payload', 'capabilities', 'features');
  const list = Array.isArray(offered) ? offered.filter((f): f is string => typeof f === 'string') : [];
  conn.sessionId = sessionId;
  return { conn, sessionId, resumeToken, welcome, features: asked.filter((f) => list.includes(f)), token };
}

/** Sends a hello and waits for the welcome (or fails with the session.error it got). */
export async function hello(conn: PeerConnection, opts: HelloOptions): Promise<Session> {
  const asked = opts.features ?? ALL_FEATURES;
  const reply = await conn.request(helloEnvelope(opts), { timeoutMs: opts.timeoutMs });
  if (reply.type === 'session.error') {
    throw new Violation(`handshake refused: ${String(field(reply, 'payload', 'code'))} ${String(field(reply, 'payload', 'message'))}`, { frame: reply });
  }
  return sessionFromWelcome(conn, reply, asked, opts.token);
}

export interface ResumeRequest {
  token: string;
  sessionId: string;
  resumeToken: string;
  lastEventSeq: number;
  features?: readonly string[];
}

/** Sends the resume in the profile's form; resolves with the welcome or the session.error. */
export async function sendResume(conn: PeerConnection, profile: Profile, req: ResumeRequest): Promise<Envelope> {
  if (profile === 'interop') {
    return conn.request(
      helloEnvelope({
        token: req.token,
        features: req.features,
        resume: { session_id: req.sessionId, resume_token: req.resumeToken, last_event_seq: req.lastEventSeq },
      }),
    );
  }
  // catalog §10 #8: first message on a new transport, session_id on envelope and payload.
  return conn.request(
    envelope(
        'session.resume',
        {
          session_id: req.sessionId,
          resume_token: req.resumeToken,
          last_event_seq: req.lastEventSeq,
          auth: { scheme: 'bearer', token: req.token },
          capabilities: { encodings: ['json'], features: [...(req.features ?? ALL_FEATURES)] },
        },
        { session_id: req.sessionId },
      ),
  );
}

/** Resumes and requires success. */
export async function resume(conn: PeerConnection, profile: Profile, req: ResumeRequest): Promise<Session> {
  const reply = await sendResume(conn, profile, req);
  if (reply.type === 'session.error') {
    throw new Violation(`resume refused: ${String(field(reply, 'payload', 'code'))} ${String(field(reply, 'payload', 'message'))}`, { frame: reply });
  }
  const s = sessionFromWelcome(conn, reply, req.features ?? ALL_FEATURES, req.token);
  if (s.sessionId !== req.sessionId) throw new Violation(`resume welcome names session ${s.sessionId}, not ${req.sessionId}`, { frame: reply });
  return s;
}

/**
 * Closes gracefully. spec: requires `session.closed`. interop: accepts `session.closed`, a
 * `session.error` (peers that only know `session.bye`) or the transport closing.
 */
export async function closeSession(s: Session, profile: Profile, timeoutMs: number): Promise<'closed' | 'error' | 'dropped'> {
  try {
    const reply = await s.conn.request(envelope('session.close', { reason: 'conformance' }, { session_id: s.sessionId }), {
      extraReplies: ['session.error'],
      timeoutMs,
    });
    if (reply.type === 'session.error' && profile === 'spec') {
      throw new Violation(`session.close answered with session.error ${String(field(reply, 'payload', 'code'))}`, { frame: reply });
    }
    return reply.type === 'session.closed' ? 'closed' : 'error';
  } catch (e) {
    if (e instanceof PeerGone && profile === 'interop') return 'dropped';
    throw e;
  } finally {
    await s.conn.close('after session.close');
  }
}
