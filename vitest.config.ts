import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // The conformance suite runs the real checkers: npm run test:checkers (vitest.checkers.config.ts).
    exclude: ['**/node_modules/**', 'test/checkers/**'],
    // CI: '0' because tests that render Ink in-process stand in for a terminal, as cli.tsx does
    // when both ends are TTYs; with CI=true Ink would draw only the final frame.
    // The SDK's notice that its 2027 releases need Node 22 would repeat in every worker on Node 20;
    // what users see is tested through the built binary, which silences it itself (cli.tsx).
    env: {FORCE_COLOR: '0', NO_COLOR: '1', CI: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
    // Starts one moto server for the whole run; integration tests isolate themselves by account.
    globalSetup: ['test/support/global-setup.ts'],
    // Generous: on a loaded 2-core CI machine a launch through pre-flight can take tens of seconds;
    // a hung test still fails, with the wait it was in.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // 2-core machines: integration and pty tests are heavy, keep parallelism modest.
    maxWorkers: 2,
  },
});
