// arcp-kit public API: the embeddable ARCP v1.1 client and runtime, built on generated/.
// Each area's own index.ts is the source of truth; this barrel only gathers them so an embedder
// imports from one place (`import { ARCPClient, ARCPRuntime } from 'arcp-kit'`).
export * from './errors/index.js';
export * from './protocol/index.js';
export * from './transport/index.js';
export * from './machines/index.js';
export * from './client/index.js';
export * from './runtime/index.js';
export * from './agents/index.js';
export * from './logging/index.js';
export * as authority from './authority/index.js';
export { JobAuthority, ReferenceProvisioner, RevocationLedger, CredentialManager } from './authority/index.js';
export type { CredentialProvisioner } from './authority/index.js';
