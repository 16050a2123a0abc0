// `npm run test:checkers`: the conformance suite that runs the real Prowler and checkov (installed
// by scripts/checker-setup.mjs). Kept out of `npm test` because Prowler's first install is large.
import {defineConfig} from 'vitest/config';
import base, {MOTO_SETUP} from './vitest.config.js';

// The shared settings without the unit/system split: this suite is one project of its own, with moto.
const {projects: _projects, ...shared} = base.test ?? {};

export default defineConfig({
  test: {
    ...shared,
    globalSetup: [MOTO_SETUP],
    include: ['test/checkers/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 30 * 60_000,
    hookTimeout: 30 * 60_000,
  },
});
