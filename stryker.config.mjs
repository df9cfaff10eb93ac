// Mutation testing of the privacy- and reliability-critical modules: `npm run test:mutation` (not part of `npm test`).
// Incremental: results are kept in reports/stryker-incremental.json, so a rerun after a small change only tests the
// mutants whose code or covering tests changed. See docs/mutation-testing.md.
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
