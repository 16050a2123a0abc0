import {defineConfig} from 'vitest/config';

const TESTS = 'test/**/*.test.{ts,tsx}';
// The conformance suite runs the real checkers: npm run test:checkers (vitest.checkers.config.ts).
const EXCLUDE = ['**/node_modules/**', 'test/checkers/**'];

// Tests that need the local AWS endpoint (moto, a Python server), the built binary, a pseudo-terminal
// or npm: whole folders, and the files elsewhere that do. Every other test is a unit test and runs
// without moto (`npm run test:unit`). A test that needs moto but is left out of this list fails with
// a clear error in the unit project (motoEndpoint() in test/support/aws.ts), it is not skipped.
const SYSTEM_FOLDERS = ['test/integration/**', 'test/reliability/**', 'test/e2e/**'];
// Starts one moto server for the whole run; integration tests isolate themselves by account.
export const MOTO_SETUP = 'test/support/global-setup.ts';

const SYSTEM_FILES = [
  'test/cli-errors.test.ts',
  'test/package.test.ts',
  'test/package-lock.test.ts',
  'test/commands/destroy.test.ts',
  'test/commands/export.test.ts',
  'test/commands/verify.test.ts',
  'test/domain/plan-sdk.test.ts',
  'test/ui/preflight-moto.test.tsx',
];

export default defineConfig({
  test: {
    // include, exclude and globalSetup are per project: extending a project concatenates lists.
    // CI: '0' because tests that render Ink in-process stand in for a terminal, as cli.tsx does
    // when both ends are TTYs; with CI=true Ink would draw only the final frame.
    // The SDK's notice that its 2027 releases need Node 22 would repeat in every worker on Node 20;
    // what users see is tested through the built binary, which silences it itself (cli.tsx).
    env: {FORCE_COLOR: '0', NO_COLOR: '1', CI: '0', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'},
    // Generous: on a loaded 2-core CI machine a launch through pre-flight can take tens of seconds;
    // a hung test still fails, with the wait it was in.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // 2-core machines: integration and pty tests are heavy, keep parallelism modest.
    maxWorkers: 2,
    // `vitest run` runs both; `npm run test:unit` only the first, with --no-isolate (its files keep no
    // state between them; `npm test` still isolates every file). Each project takes the settings above.
    // The unit project excludes what the system project includes, so together they run every test.
    projects: [
      {extends: true, test: {name: 'unit', include: [TESTS], exclude: [...EXCLUDE, ...SYSTEM_FOLDERS, ...SYSTEM_FILES]}},
      {
        extends: true,
        test: {
          name: 'system',
          include: [...SYSTEM_FOLDERS.map((folder) => `${folder}/*.test.{ts,tsx}`), ...SYSTEM_FILES],
          exclude: EXCLUDE,
          globalSetup: [MOTO_SETUP],
        },
      },
    ],
  },
});
