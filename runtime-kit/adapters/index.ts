// adapters/: the runtime at home in an embedder's HTTP stack. Each framework has its own entry
// point (arcp-kit/node, /express, /fastify, /hono) so an embedder loads only what it uses; this
// barrel is for the repository's own tests and docs.
export * from './attachment.js';
export { listenNode, type ListenNodeOptions } from './node.js';
export { attachExpress, listenExpress, arcpRoute as arcpExpressRoute, type ExpressAppLike, type ListenExpressOptions } from './express.js';
export { arcpFastify, arcpAttachmentOf, type ArcpFastifyOptions, type FastifyInstanceLike, type FastifyReplyLike } from './fastify.js';
export { attachHono, serveHono, arcpRoute as arcpHonoRoute, type HonoAppLike, type ServeHonoOptions } from './hono.js';
