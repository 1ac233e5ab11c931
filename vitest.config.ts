import { defineConfig } from 'vitest/config';

// Node-side tests of every package. The viewer's element tests run in
// Chromium through @web/test-runner (packages/viewer/web-test-runner.config.mjs).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'demo/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'packages/viewer/**'],
    globalSetup: ['packages/db/src/testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
