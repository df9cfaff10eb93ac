import { defineConfig } from 'vitest/config';

/**
 * The tests that exercise k-anonymity and resource sanitizing, for `npm run test:mutation:quick`. Standalone (not
 * merged with vitest.config.ts: merging would concatenate the `include` lists and run every test).
 */
export default defineConfig({
  test: {
    include: [
      'test/processors/metrics/k-anonymity.test.ts',
      'test/processors/metrics/hot-reload.test.ts',
      'test/processors/metrics/privacy-metric-exporter.test.ts',
      'test/processors/resource/sanitize-resource.test.ts',
      'test/processors/traces/privacy-span-processor.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
