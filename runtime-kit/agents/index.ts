// agents/: demo agents and the conformance agents (design/conformance-agents.md).
export { registerConformanceAgents, CONFORMANCE_DEFAULT_VERSION, CONFORMANCE_VERSIONS } from './conformance.js';
export * as conformanceAgents from './conformance.js';
export { registerDemoAgents, demoCountdown, demoEcho } from './demo.js';
