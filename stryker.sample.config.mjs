// A sampled run (`npm run test:mutation -- --sample N`, scripts/mutation-sample.mjs): the module config with the
// "sample" checker first, which passes only the drawn mutants on to the type check and the tests. See
// docs/mutation-testing.md.
import moduleConfig from './stryker.module.config.mjs';

if (!process.env.MUTATION_SAMPLE_FILE) throw new Error('stryker.sample.config.mjs: set MUTATION_SAMPLE_FILE');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...moduleConfig,
  plugins: ['@stryker-mutator/*', './scripts/stryker-sample-checker.mjs'],
  checkers: ['sample', ...moduleConfig.checkers],
};
