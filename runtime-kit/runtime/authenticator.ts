// Bearer authentication (§6.1) behind a pluggable interface. The built-in verifier maps static
// tokens to principals and compares in constant time (the TS SDK fixed a timing leak, #142).
import { createHash, timingSafeEqual } from 'node:crypto';

export interface BearerCredential {
  scheme: string;
  token?: string;
}

export interface Authenticated {
  /** Who the session acts for: scopes idempotency keys, resume and (later) job visibility. */
  principal: string;
}

/** Returns the principal for a credential, or undefined to refuse (-> UNAUTHENTICATED). */
export interface Authenticator {
  authenticate(credential: BearerCredential): Authenticated | undefined | Promise<Authenticated | undefined>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Static `token -> principal` map; every token is compared so timing does not reveal a match. */
export class StaticTokenAuthenticator implements Authenticator {
  private readonly entries: Array<{ digest: Buffer; principal: string }>;

  constructor(tokens: Record<string, string> | Iterable<[string, string]>) {
    const pairs = Symbol.iterator in Object(tokens)
      ? [...(tokens as Iterable<[string, string]>)]
      : Object.entries(tokens as Record<string, string>);
    this.entries = pairs.map(([token, principal]) => {
      if (!token) throw new TypeError('static token must be non-empty');
      if (!principal) throw new TypeError(`token for principal "" must name a principal`);
      return { digest: digest(token), principal };
    });
  }

  authenticate(credential: BearerCredential): Authenticated | undefined {
    if (credential.scheme !== 'bearer' || !credential.token) return undefined;
    const presented = digest(credential.token);
    let principal: string | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented) && principal === undefined) principal = entry.principal;
    }
    return principal === undefined ? undefined : { principal };
  }
}
