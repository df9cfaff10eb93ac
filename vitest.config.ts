import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on the 2-core CI machine, whose second core
    // then idles while a file waits on child processes, sockets and openssl. One worker per core (at least 2).
    maxWorkers: Math.max(2, availableParallelism()),
    // once per run: the standard test certificates (see CONTRIBUTING.md, "Test run time")
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup-shared-fixtures.ts', 'test/setup-fast-check.ts'],
  },
});
