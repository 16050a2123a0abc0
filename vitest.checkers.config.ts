// `npm run test:checkers`: the conformance suite that runs the real Prowler and checkov (installed
// by scripts/checker-setup.mjs). Kept out of `npm test` because Prowler's first install is large.
import {defineConfig} from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({
  test: {
    ...base.test,
    include: ['test/checkers/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
