// Mutation testing of the privacy- and reliability-critical modules (not part of `npm test`). This is the whole
// configured set in one run, `npm run test:mutation:all`: about 17 800 mutants, more than a day on a shared two-core
// machine. `npm run test:mutation` runs the same files one module at a time (scripts/mutation-plan.mjs, with
// stryker.module.config.mjs). Incremental: results are kept in reports/stryker-incremental.json, so a rerun after a
// small change only tests the mutants whose code or covering tests changed. See docs/mutation-testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.config.ts', related: true },
  checkers: ['typescript'],
  // The checker type-checks the program again for every mutant (the mutants of one file cannot share a check). With
  // tsconfig.json that program is the library, its tests, CLI, scripts, benchmarks and examples; tsconfig.mutation.json
  // is the library alone (the code that is mutated and everything it imports), which is several times faster to check.
  // A mutant that type-checks in the library but not in a test file is then tested instead of discarded: it can only
  // be killed by a test failing at run time (vitest does not type-check), never by a type error.
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'engine/**/*.ts',
    'processors/**/*.ts',
    'exporters/tls-*.ts',
    'exporters/certificate-pins.ts',
    'exporters/encrypted-spool.ts',
    'exporters/spool-key.ts',
  ],
  // The machine is shared: one test process at a time.
  concurrency: 1,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: null },
  // A mutant "times out" when its tests take longer than 1.5 times the dry run's plus timeoutMS. On a shared machine a
  // load spike made ordinary mutants time out with 10 s (22 of 39 in one run), and a timeout counts as detected: 60 s
  // keeps load from passing for a kill; a real endless loop then costs a minute.
  timeoutMS: 60_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
