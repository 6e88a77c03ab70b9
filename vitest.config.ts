import { defineConfig } from 'vitest/config';

// Tests live next to the code they protect (`<area>/test/*.test.ts`) plus cross-cutting ones in `test/`.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '**/fixtures/**'],
    // The CLI runs compiled code from dist/; build it (incrementally) once before any test spawns it.
    globalSetup: ['test/build-dist.global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2-core CI machines: keep parallelism bounded so timing-sensitive e2e tests are not starved.
    maxWorkers: 2,
  },
});
