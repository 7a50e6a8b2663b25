import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The LSP and CLI tests spawn built bundles; keep the 2-core machines unhurried.
    maxWorkers: 2,
  },
});
