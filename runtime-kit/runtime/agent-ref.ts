// The agent reference grammar of §7.5:
//   agent   ::= name | name "@" version
//   name    ::= [a-z0-9][a-z0-9._-]*
//   version ::= [a-zA-Z0-9.+_-]+
// Split at the first "@" (catalog §6.11).

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const VERSION = /^[a-zA-Z0-9.+_-]+$/;

export interface AgentRef {
  name: string;
  /** Absent for a bare name (resolve to the default). */
  version?: string;
}

export function isAgentName(name: string): boolean {
  return NAME.test(name);
}

export function isAgentVersion(version: string): boolean {
  return VERSION.test(version);
}

/** Parses `name` or `name@version`; undefined when the string breaks the grammar. */
export function parseAgentRef(ref: string): AgentRef | undefined {
  const at = ref.indexOf('@');
  const name = at < 0 ? ref : ref.slice(0, at);
  if (!NAME.test(name)) return undefined;
  if (at < 0) return { name };
  const version = ref.slice(at + 1);
  if (!VERSION.test(version)) return undefined;
  return { name, version };
}

/** The wire form used in job.accepted, listings and subscriptions: `name@version` or `name`. */
export function formatAgentRef(name: string, version: string | undefined): string {
  return version === undefined ? name : `${name}@${version}`;
}
