// One module at a time against the test files that exercise it, for a shared machine where the full run does not
// fit. MUTATE: the files to mutate (comma-separated); MUTATION_TESTS: the test files (comma-separated);
// MUTATION_NAME: the name of the incremental file and report (reports/stryker-<name>.json, reports/mutation-<name>/).
//   MUTATE=engine/trace-state.ts MUTATION_TESTS=test/engine/trace-state.test.ts MUTATION_NAME=trace-state \
//     npx stryker run stryker.module.config.mjs
// Survivors are then checked against the rest of the suite by hand (a survivor here may be killed by a test outside
// the named files). See docs/mutation-testing.md.
import base from './stryker.config.mjs';

const split = (value) =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
const mutate = split(process.env.MUTATE);
const name = process.env.MUTATION_NAME;
if (mutate.length === 0 || !name || split(process.env.MUTATION_TESTS).length === 0) {
  throw new Error('stryker.module.config.mjs: set MUTATE, MUTATION_TESTS and MUTATION_NAME');
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: 'vitest.mutation-module.config.ts', related: false },
  mutate,
  incrementalFile: `reports/stryker-${name}.json`,
  htmlReporter: { fileName: `reports/mutation-${name}/mutation.html` },
  jsonReporter: { fileName: `reports/mutation-${name}/mutation.json` },
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
};
