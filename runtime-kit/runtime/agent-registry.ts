// Registered agents, their versions and defaults (§7.5, catalog §6.11), and the inventory the
// welcome advertises. Resolution failures are typed ARCP errors; where they travel on the wire
// (job.error vs session.error) is the submit handler's decision, not this module's.
import type { AgentInventoryEntry } from '../../generated/index.js';
import { arcpError } from '../errors/index.js';
import { formatAgentRef, isAgentName, isAgentVersion, parseAgentRef } from './agent-ref.js';
import type { AgentHandler } from './job-context.js';

export interface RegisterAgentOptions {
  /** Opaque version string (§7.5). Omit for an unversioned agent. */
  version?: string;
  /** Make this version the one a bare name resolves to. */
  default?: boolean;
}

export interface ResolvedAgent {
  name: string;
  version?: string;
  /** `name@version`, or the bare name when unversioned (catalog §6.11). */
  ref: string;
  handler: AgentHandler;
}

interface AgentEntry {
  unversioned?: AgentHandler;
  versions: Map<string, AgentHandler>;
  explicitDefault?: string;
}

export class AgentRegistry {
  private readonly agents = new Map<string, AgentEntry>();

  register(name: string, handler: AgentHandler, opts: RegisterAgentOptions = {}): void {
    if (!isAgentName(name)) throw new TypeError(`agent name "${name}" does not match [a-z0-9][a-z0-9._-]* (§7.5)`);
    if (typeof handler !== 'function') throw new TypeError(`agent "${name}": handler must be a function`);
    const entry = this.agents.get(name) ?? { versions: new Map<string, AgentHandler>() };
    const { version } = opts;
    if (version === undefined) {
      if (opts.default) throw new TypeError(`agent "${name}": only a versioned registration can be the default`);
      if (entry.unversioned) throw new TypeError(`agent "${name}" is already registered without a version`);
      entry.unversioned = handler;
    } else {
      if (!isAgentVersion(version)) throw new TypeError(`agent "${name}": version "${version}" does not match [a-zA-Z0-9.+_-]+`);
      if (entry.versions.has(version)) throw new TypeError(`agent "${name}@${version}" is already registered`);
      entry.versions.set(version, handler);
      if (opts.default) entry.explicitDefault = version;
    }
    this.agents.set(name, entry);
  }

  /** Resolves a wire `agent` string; throws InvalidRequest / AgentNotAvailable / AgentVersionNotAvailable. */
  resolve(agent: string): ResolvedAgent {
    const ref = parseAgentRef(agent);
    if (!ref) {
      throw arcpError('INVALID_REQUEST', `agent "${agent}" does not match name ["@" version] (§7.5)`, {
        details: { agent },
      });
    }
    const entry = this.agents.get(ref.name);
    if (!entry) {
      throw arcpError('AGENT_NOT_AVAILABLE', `agent "${ref.name}" is not registered`, { details: { agent } });
    }
    if (ref.version !== undefined) {
      const handler = entry.versions.get(ref.version);
      if (!handler) {
        throw arcpError('AGENT_VERSION_NOT_AVAILABLE', `agent "${ref.name}" has no version "${ref.version}"`, {
          details: { agent, available: [...entry.versions.keys()] },
        });
      }
      return { name: ref.name, version: ref.version, ref: formatAgentRef(ref.name, ref.version), handler };
    }
    const version = defaultVersion(entry);
    if (version === undefined) {
      return { name: ref.name, ref: ref.name, handler: entry.unversioned! };
    }
    return { name: ref.name, version, ref: formatAgentRef(ref.name, version), handler: entry.versions.get(version)! };
  }

  /** The welcome's `capabilities.agents` (§6.2): `default` is exactly what a bare name resolves to. */
  inventory(): AgentInventoryEntry[] {
    const out: AgentInventoryEntry[] = [];
    for (const [name, entry] of this.agents) {
      const def = defaultVersion(entry);
      const item: AgentInventoryEntry = { name, versions: [...entry.versions.keys()] };
      if (def !== undefined) item.default = def;
      out.push(item);
    }
    return out;
  }

  get size(): number {
    return this.agents.size;
  }
}

// A bare name resolves to: the explicit default; else the unversioned handler; else the greatest
// version in numeric-aware order (the spec lets us pick any, catalog §10 #20).
function defaultVersion(entry: AgentEntry): string | undefined {
  if (entry.explicitDefault !== undefined) return entry.explicitDefault;
  if (entry.unversioned) return undefined;
  const versions = [...entry.versions.keys()];
  versions.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return versions[versions.length - 1];
}
