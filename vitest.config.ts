import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // once per run: the standard test certificates (see CONTRIBUTING.md, "Test run time")
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-shared-fixtures.ts'],
  },
});
