// A CommonJS consumer: require() either loads the ESM package (Node's require(esm)) or is
// refused with Node's ESM error; both are printed for the test to judge.
try {
  const kit = require('arcp-kit');
  process.stdout.write(JSON.stringify({ loaded: true, client: typeof kit.ARCPClient, runtime: typeof kit.ARCPRuntime }) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ loaded: false, code: err.code, message: err.message }) + '\n');
}
