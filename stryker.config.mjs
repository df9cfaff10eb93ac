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
  tsconfigFile: 'tsconfig.json',
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
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
