import { defineConfig } from 'vitest/config';

/**
 * One module's mutation run (`stryker.module.config.mjs`): the test files named in MUTATION_TESTS (comma-separated
 * paths or globs), so the dry run does not run the whole suite. Standalone (merging with vitest.config.ts would
 * concatenate the `include` lists and run every test).
 */
const include = (process.env.MUTATION_TESTS ?? '')
  .split(',')
  .map((entry) => entry.trim())
  .filter((entry) => entry !== '');
if (include.length === 0) throw new Error('vitest.mutation-module.config.ts: set MUTATION_TESTS to the test files');

export default defineConfig({
  test: {
    include,
    // Tests that cannot pass in Stryker's sandbox (e.g. a generated file compared with its generator's formatted
    // output) are left out with MUTATION_SKIP, a regular expression on the full test name.
    ...(process.env.MUTATION_SKIP ? { testNamePattern: new RegExp(`^(?!.*(?:${process.env.MUTATION_SKIP}))`) } : {}),
    // MUTATION_TEST_TIMEOUT (ms): the sampled run's dry run covers the whole unit suite on instrumented code, where
    // the heaviest tests pass 30 s under load.
    testTimeout: Number(process.env.MUTATION_TEST_TIMEOUT ?? 30_000),
    hookTimeout: Number(process.env.MUTATION_TEST_TIMEOUT ?? 30_000),
    pool: 'forks',
    // MUTATION_SETUP=1: the suite's global setup (the shared test certificates, once per run) for test files that
    // need it (the sampled run of the whole configured set, scripts/mutation-sample.mjs).
    ...(process.env.MUTATION_SETUP === '1'
      ? { globalSetup: ['test/global-setup.ts'], setupFiles: ['test/setup-shared-fixtures.ts'] }
      : {}),
  },
});
