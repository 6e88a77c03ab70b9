// Signed-JWT bearer tokens (§6.1) through `jose`: the verifier every SDK review asked for (the
// TS SDK declares jose but never uses it; Python ships HS256 + JWKS; ecosystem.md §1.3 "Auth").
// The principal is a claim (default `sub`); expiry, not-before, issuer and audience are checked
// by jose; any failure is a refusal (UNAUTHENTICATED), never a crash.
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Authenticated, Authenticator, BearerCredential } from './authenticator.js';

export interface JwtAuthenticatorOptions {
  /** HS256/384/512 shared secret. */
  secret?: string | Uint8Array;
  /** A JSON Web Key Set held locally (kid lookup). */
  jwks?: JSONWebKeySet;
  /** A JWKS URL fetched and cached by jose. */
  jwksUrl?: string | URL;
  issuer?: string | string[];
  audience?: string | string[];
  /** Accepted `alg` values (default: HS256 for a secret, RS256/ES256/EdDSA for key sets). */
  algorithms?: string[];
  /** Claim naming the principal (default `sub`); must be a non-empty string. */
  principalClaim?: string;
  /** Clock skew tolerated on exp/nbf, in seconds (default 0). */
  clockToleranceSec?: number;
  /** Wall clock for exp/nbf (tests pass a ManualClock's `now`). */
  now?: () => number;
}

export class JwtAuthenticator implements Authenticator {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly opts: JwtAuthenticatorOptions) {
    const sources = [opts.secret, opts.jwks, opts.jwksUrl].filter((s) => s !== undefined).length;
    if (sources !== 1) throw new TypeError('JwtAuthenticator needs exactly one of secret, jwks, jwksUrl');
    if (opts.secret !== undefined) {
      this.key = typeof opts.secret === 'string' ? new TextEncoder().encode(opts.secret) : opts.secret;
      this.algorithms = opts.algorithms ?? ['HS256'];
    } else {
      this.key = opts.jwks !== undefined ? createLocalJWKSet(opts.jwks) : createRemoteJWKSet(new URL(String(opts.jwksUrl)));
      this.algorithms = opts.algorithms ?? ['RS256', 'ES256', 'EdDSA'];
    }
  }

  async authenticate(credential: BearerCredential): Promise<Authenticated | undefined> {
    if (credential.scheme !== 'bearer' || !credential.token) return undefined;
    try {
      const verifyOpts = {
        algorithms: this.algorithms,
        ...(this.opts.issuer !== undefined ? { issuer: this.opts.issuer } : {}),
        ...(this.opts.audience !== undefined ? { audience: this.opts.audience } : {}),
        ...(this.opts.clockToleranceSec !== undefined ? { clockTolerance: this.opts.clockToleranceSec } : {}),
        ...(this.opts.now ? { currentDate: new Date(this.opts.now()) } : {}),
      };
      const { payload } =
        this.key instanceof Uint8Array
          ? await jwtVerify(credential.token, this.key, verifyOpts)
          : await jwtVerify(credential.token, this.key, verifyOpts);
      const principal = payload[this.opts.principalClaim ?? 'sub'];
      return typeof principal === 'string' && principal !== '' ? { principal } : undefined;
    } catch {
      return undefined; // bad signature, expired, wrong issuer/audience, malformed: all UNAUTHENTICATED
    }
  }
}
