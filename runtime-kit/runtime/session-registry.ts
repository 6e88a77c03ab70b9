// All sessions of a runtime by session_id, resume tokens, and the resume-window sweep.
// Tokens: `rt_` + 64 hex (256 bits), rotated on every welcome, compared in constant time
// (TS SDK #142). A session detached longer than the window is forgotten with its buffer.
import { timingSafeEqual } from 'node:crypto';
import type { EventStore } from './event-store.js';
import type { Session } from './session.js';
import { newResumeToken } from '../protocol/index.js';

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  /** Per principal, oldest first (memory budgets, limits/session-budget.ts). */
  private readonly byPrincipal = new Map<string, Set<Session>>();

  constructor(private readonly store: EventStore) {}

  add(session: Session): void {
    this.sessions.set(session.id, session);
    let mine = this.byPrincipal.get(session.principal);
    if (!mine) this.byPrincipal.set(session.principal, (mine = new Set()));
    mine.add(session);
  }

  /** The principal's sessions, oldest first. */
  ofPrincipal(principal: string): ReadonlySet<Session> {
    return this.byPrincipal.get(principal) ?? EMPTY;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  values(): IterableIterator<Session> {
    return this.sessions.values();
  }

  /** Looks a session up for resume, forgetting it first if its window is over. */
  getResumable(id: string, nowMs: number): Session | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.isWindowOver(nowMs)) {
      this.expire(session);
      return undefined;
    }
    return session.isResumable ? session : undefined;
  }

  /** Forgets every detached session whose resume window is over, and every terminated one
   * (buffer overflow): it can never be resumed, so its full buffer is dead weight (go-sdk #154). */
  sweep(nowMs: number): void {
    for (const session of this.sessions.values()) if (session.expired || session.isWindowOver(nowMs)) this.expire(session);
  }

  /** Forgets the session here without touching its stored state (another node now holds it). */
  release(session: Session): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
  }

  expire(session: Session): void {
    session.terminate();
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    const mine = this.byPrincipal.get(session.principal);
    if (mine?.delete(session) && mine.size === 0) this.byPrincipal.delete(session.principal);
    this.store.drop(session.id);
  }
}

const EMPTY: ReadonlySet<Session> = new Set();

export function mintResumeToken(): string {
  return newResumeToken();
}

export function tokensEqual(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
