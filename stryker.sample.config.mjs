// A sampled run (`npm run test:mutation -- --sample N`, scripts/mutation-sample.mjs): the module config with the
// "sample" checker first, which passes only the drawn mutants on to the type check and the tests. See
// docs/mutation-testing.md.
import moduleConfig from './stryker.module.config.mjs';

if (!process.env.MUTATION_SAMPLE_FILE) throw new Error('stryker.sample.config.mjs: set MUTATION_SAMPLE_FILE');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...moduleConfig,
  plugins: [
    '@stryker-mutator/*',
    './scripts/stryker-sample-checker.mjs',
    './scripts/stryker-static-by-file-runner.mjs',
  ],
  checkers: ['sample', ...moduleConfig.checkers],
  // Stryker's vitest runner, except that a static mutant runs only the test files that executed its code in the dry
  // run, not the whole unit suite (scripts/stryker-static-by-file-runner.mjs; MUTATION_STATIC_FILES).
  testRunner: 'vitest-static-by-file',
  // No clear-text reporter: it would list every mutant left out of the sample as "no coverage" (the summary of
  // scripts/mutation-sample.mjs lists the drawn survivors).
  reporters: ['progress-append-only', 'html', 'json'],
  // reports/ (earlier runs, the sample file) is not copied into the sandbox.
  ignorePatterns: ['/reports'],
  // The dry run is the whole unit suite on instrumented code: more than Stryker's default 5 minutes on a loaded
  // two-core machine.
  dryRunTimeoutMinutes: 60,
};
