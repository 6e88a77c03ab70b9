// The `arcp` command line: parses flags and hands off to library code. One module per command.
import { Command } from 'commander';
import { registerGenerate } from './commands/generate.js';
import { registerServe } from './commands/serve.js';
import { registerSubmit } from './commands/submit.js';
import { registerConformance } from './commands/conformance.js';
import { registerSchema } from './commands/schema.js';
import { registerJobs } from './commands/jobs.js';
import { registerWatch } from './commands/watch.js';
import { registerCancel } from './commands/cancel.js';
import { PACKAGE_VERSION } from '../runtime-kit/package-info.js';
import { registerStdioRelay } from './commands/stdio-relay.js';
import { registerAudit } from './commands/audit.js';

const program = new Command('arcp')
  .description('arcp-kit: ARCP v1.1 bindings generator, client/runtime and conformance harness')
  .version(PACKAGE_VERSION);

registerGenerate(program);
registerServe(program);
registerSubmit(program);
registerConformance(program);
registerSchema(program);
registerJobs(program);
registerWatch(program);
registerCancel(program);
registerStdioRelay(program);
registerAudit(program);

await program.parseAsync(process.argv);
