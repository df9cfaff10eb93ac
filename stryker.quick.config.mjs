// A small mutation run (k-anonymity and resource sanitizing) against only the tests that exercise them:
// `npm run test:mutation:quick`. Same settings as stryker.config.mjs otherwise.
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'vitest.mutation-quick.config.ts', related: false },
  mutate: ['processors/metrics/metric-k-anonymity.ts', 'processors/resource/sanitize-resource.ts'],
  incrementalFile: 'reports/stryker-incremental-quick.json',
  htmlReporter: { fileName: 'reports/mutation-quick/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation-quick/mutation.json' },
};
