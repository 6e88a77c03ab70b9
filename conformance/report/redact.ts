// No secret reaches a report, a trace or a replay command (issue 8 item 6). The principals'
// bearer tokens become `$ARCP_TOKEN` / `$ARCP_TOKEN_B` (the variables the CLI reads them from);
// any other token a frame carries (`token`, `resume_token`, a Bearer header) becomes a numbered
// placeholder, the same number for the same value across the whole run, so a trace still shows
// whether a token rotated. Frames are rewritten as text, never re-serialised: every other byte of
// the evidence stays as the peer sent it.
import type { Verdict } from '../checks/types.js';
import type { RunResult } from '../runner/run.js';

/** Names of JSON fields whose string value is a secret. */
const SECRET_FIELD = /"(token|resume_token|access_token|refresh_token|bearer_token|api_key|password|secret)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/gi;
const BEARER = /\b(Bearer\s+)([A-Za-z0-9._~+/=-]{4,})/g;

export interface KnownSecret {
  readonly value: string | undefined;
  /** Placeholder shown instead, e.g. `$ARCP_TOKEN`. */
  readonly label: string;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A learnt value shorter than this is replaced only where it stands in a secret field: a real
// token is longer, and a short one ("a", "42") replaced everywhere would garble the evidence.
const MIN_LEARNT_EVERYWHERE = 8;

export class Redactor {
  private readonly labels = new Map<string, string>();
  /** Learnt values replaced only inside secret fields (too short to be replaced everywhere). */
  private readonly fieldOnly = new Set<string>();
  private readonly counters = new Map<string, number>();
  private matcher: RegExp | null | undefined;

  constructor(known: readonly KnownSecret[]) {
    for (const k of known) if (k.value) this.labels.set(k.value, k.label);
  }

  private register(value: string, kind: string): void {
    if (value === '' || value.startsWith('$ARCP_TOKEN') || /^<[a-z_]+(:\d+)?>$/.test(value) || this.labels.has(value)) return;
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    this.labels.set(value, `<${kind}:${n}>`);
    if (value.length < MIN_LEARNT_EVERYWHERE) this.fieldOnly.add(value);
    this.matcher = undefined;
  }

  /** Learns the secrets a text carries in secret fields or Bearer headers (without changing it). */
  learn(text: string | undefined): void {
    if (!text) return;
    for (const m of text.matchAll(SECRET_FIELD)) this.register(m[3], m[1].toLowerCase() === 'resume_token' ? 'resume_token' : 'token');
    for (const m of text.matchAll(BEARER)) this.register(m[2], 'token');
  }

  /** The text with every known secret replaced by its placeholder (whole tokens only). */
  text(s: string): string;
  text(s: string | undefined): string | undefined;
  text(s: string | undefined): string | undefined {
    if (!s || this.labels.size === 0) return s;
    const inFields = s.replace(SECRET_FIELD, (m, name: string, sep: string, value: string) => {
      const label = this.labels.get(value);
      return label === undefined ? m : `"${name}"${sep}"${label}"`;
    }).replace(BEARER, (m, scheme: string, value: string) => {
      const label = this.labels.get(value);
      return label === undefined ? m : `${scheme}${label}`;
    });
    if (!this.matcher) {
      const values = [...this.labels.keys()].filter((v) => !this.fieldOnly.has(v)).sort((a, b) => b.length - a.length).map(escapeRe);
      // a secret is replaced where it stands alone, never inside a longer word
      this.matcher = values.length ? new RegExp(`(?<![A-Za-z0-9_-])(?:${values.join('|')})(?![A-Za-z0-9_-])`, 'g') : null;
    }
    return this.matcher ? inFields.replace(this.matcher, (v) => this.labels.get(v) ?? v) : inFields;
  }

  private learnVerdict(v: Verdict): void {
    for (const f of v.trace ?? []) this.learn(f.text);
    this.learn(v.message);
    this.learn(v.property?.counterexample);
  }

  /** One verdict with every secret replaced (learns the secrets its own frames carry first). */
  verdict(v: Verdict): Verdict {
    this.learnVerdict(v);
    return {
      ...v,
      message: this.text(v.message),
      trace: v.trace?.map((f) => ({ ...f, text: this.text(f.text) })),
      property: v.property ? { ...v.property, counterexample: this.text(v.property.counterexample) } : undefined,
      replay: this.text(v.replay),
    };
  }

  /** The whole run, redacted: secrets learnt anywhere in the run are replaced everywhere. */
  result(r: RunResult): RunResult {
    for (const v of r.verdicts) this.learnVerdict(v);
    return { ...r, peer: { ...r.peer, describe: this.text(r.peer.describe) }, verdicts: r.verdicts.map((v) => this.verdict(v)) };
  }
}

/** The redactor of a run whose principals present `tokenA` and `tokenB`. */
export function principalRedactor(tokenA: string | undefined, tokenB: string | undefined): Redactor {
  return new Redactor([
    { value: tokenA, label: '$ARCP_TOKEN' },
    { value: tokenB, label: '$ARCP_TOKEN_B' },
  ]);
}
