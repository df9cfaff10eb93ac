import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

/** The tests that exercise k-anonymity and resource sanitizing, for `npm run test:mutation:quick`. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: [
        'test/processors/metrics/k-anonymity.test.ts',
        'test/processors/metrics/hot-reload.test.ts',
        'test/processors/metrics/privacy-metric-exporter.test.ts',
        'test/processors/resource/sanitize-resource.test.ts',
        'test/processors/traces/privacy-span-processor.test.ts',
      ],
    },
  }),
);
