// In-process provisioner for tests and demos: mints random bearer values, remembers which are
// live, and can be told to fail its next N calls of an operation (transient upstream errors).

import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { Credential } from '../deps.js';
import type { CredentialJob, CredentialProvisioner, CredentialScope } from './provisioner.js';

type Operation = 'issue' | 'rotate' | 'revoke';

export interface ReferenceProvisionerOptions {
  endpoint?: string;
  profile?: string;
}

interface LiveCredential {
  jobId: string;
  value: string;
  revoked: boolean;
}

export class ReferenceProvisioner implements CredentialProvisioner {
  private readonly creds = new Map<string, LiveCredential>();
  private readonly failures: Record<Operation, number> = { issue: 0, rotate: 0, revoke: 0 };
  private readonly everIssued = new Set<string>();
  readonly calls: Record<Operation, number> = { issue: 0, rotate: 0, revoke: 0 };

  constructor(private readonly opts: ReferenceProvisionerOptions = {}) {}

  /** The next `times` calls of `op` throw. */
  failNext(op: Operation, times: number): void {
    this.failures[op] = times;
  }

  async issue(job: CredentialJob, scope: CredentialScope): Promise<Credential[]> {
    this.maybeFail('issue');
    const id = `cred_${ulid()}`;
    const value = this.mint();
    this.creds.set(id, { jobId: job.jobId, value, revoked: false });
    return [{
      id,
      scheme: 'bearer',
      value,
      endpoint: this.opts.endpoint ?? 'https://gateway.invalid/v1',
      ...(this.opts.profile !== undefined ? { profile: this.opts.profile } : {}),
      ...(Object.keys(scope).length > 0 ? { constraints: { ...scope } } : {}),
    }];
  }

  async rotate(credential: Credential): Promise<Credential> {
    this.maybeFail('rotate');
    const live = this.creds.get(credential.id);
    if (live === undefined || live.revoked) throw new Error(`credential ${credential.id} is not live`);
    live.value = this.mint(); // the prior value stops working here
    return { ...credential, value: live.value };
  }

  async revoke(id: string): Promise<void> {
    this.maybeFail('revoke');
    const live = this.creds.get(id);
    if (live !== undefined) live.revoked = true;
  }

  async revokeJob(jobId: string): Promise<void> {
    this.maybeFail('revoke');
    for (const c of this.creds.values()) if (c.jobId === jobId) c.revoked = true;
  }

  /** Would the upstream accept this value right now? */
  accepts(value: string): boolean {
    for (const c of this.creds.values()) if (c.value === value && !c.revoked) return true;
    return false;
  }

  isLive(id: string): boolean {
    const c = this.creds.get(id);
    return c !== undefined && !c.revoked;
  }

  liveIds(): string[] {
    return [...this.creds].filter(([, c]) => !c.revoked).map(([id]) => id);
  }

  private mint(): string {
    let value: string;
    do value = `sk-ref-${randomBytes(24).toString('base64url')}`;
    while (this.everIssued.has(value)); // never reuse a value (§9.8.2)
    this.everIssued.add(value);
    return value;
  }

  private maybeFail(op: Operation): void {
    this.calls[op]++;
    if (this.failures[op] > 0) {
      this.failures[op]--;
      throw new Error(`reference provisioner: injected ${op} failure`);
    }
  }
}
