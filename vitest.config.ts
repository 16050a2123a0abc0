import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    env: {FORCE_COLOR: '0', NO_COLOR: '1'},
    // Starts one moto server for the whole run; integration tests isolate themselves by account.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2-core machines: integration and pty tests are heavy, keep parallelism modest.
    maxWorkers: 2,
  },
});
