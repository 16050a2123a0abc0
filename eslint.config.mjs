// `npm run lint`: type-aware linting of source, tests and scripts (typescript-eslint's
// recommendedTypeChecked through the TypeScript project service, so a promise nobody awaits or an
// `any` leaking from JSON.parse is caught), with React's rules of hooks, so an effect that reads
// something it does not list as a dependency is caught in CI.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

// One home per control (docs/design.md section 2): which kind of key encrypts the volume is the
// storage module's question, and the ways in belong to the ways-in module; everyone else asks them.
const CONTROL_OWNERS = ['source/domain/controls/storage.ts', 'source/domain/controls/ways-in.ts'];
const ONE_HOME_PER_CONTROL = [
  {
    selector: "BinaryExpression[operator=/^[!=]==?$/] > MemberExpression[property.name='kmsKey']",
    message: 'Ask the storage control (source/domain/controls/storage.ts: keyKind, isAwsManagedKey, createsKey, existingKeyOf) which kind of key this is.',
  },
  {
    selector: "MemberExpression[object.name='spec'][property.name='access']",
    message: 'Ask the ways-in control (source/domain/controls/ways-in.ts: sessionManagerOn, wantsInstanceConnect, withAccess) instead of reading spec.access.',
  },
];

// Everything tandem prints goes through the one writer (source/output.ts), which makes text from
// AWS and from the operator inert by default; a direct write would skip that.
const WRITER = 'source/output.ts';
const ONE_WRITER = [
  {
    selector: "CallExpression[callee.property.name='write'][callee.object.property.name=/^std(out|err)$/]",
    message: 'Write through the writer in source/output.ts (createOutput(io).say/print/json), which makes supplied text inert.',
  },
  {selector: "MemberExpression[object.name='console']", message: 'Write through the writer in source/output.ts.'},
];

// The screens draw text through source/ui/text.tsx, whose Text makes strings inert by default
// (docs/design.md section 3); Ink's own Text would show a name from AWS as the bytes it holds.
// Sentences are built with t`…` (source/domain/safe-text.ts), which makes each value inert, so
// inert() itself stays inside the text model and the writer.
const TEXT_WRAPPER = 'source/ui/text.tsx';
const INERT_BY_DEFAULT = {
  paths: [{name: 'ink', importNames: ['Text'], message: "Use Text from source/ui/text.tsx: it makes AWS- and user-supplied strings inert; Ink's own Text does not."}],
  patterns: [
    {
      group: ['**/domain/safe-text.js', './safe-text.js'],
      importNames: ['inert'],
      message: 'Build the sentence with t`…` (or t.text`…`, cell() for a measured cell): the values in it are made inert; Text and the writer make plain strings inert.',
    },
  ],
};
// The text model itself is the one place that calls inert() by hand.
const INERT_OWNERS = ['source/domain/safe-text.ts'];

export default tseslint.config(
  {ignores: ['dist/**', '.bench/**', '.moto/**', 'node_modules/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    // tsconfig.json covers cli.tsx, source, test, bench and the TypeScript configs: one program for all.
    languageOptions: {parserOptions: {projectService: true, tsconfigRootDir: import.meta.dirname}},
  },
  {
    // React lives in the UI and its tests; elsewhere a `use…` function is not a hook.
    files: ['source/ui/**/*.{ts,tsx}', '**/*.tsx'],
    plugins: {'react-hooks': reactHooks},
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      // A terminal app strips and matches control characters on purpose (escapes, DEL, BS).
      'no-control-regex': 'off',
      // Loose shapes are typed `unknown` and narrowed, or given the SDK's own types.
      '@typescript-eslint/no-explicit-any': 'error',
      // `_name` marks a value left out on purpose (e.g. a key removed by destructuring).
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_'}],
      // `async` keeps a promise-returning contract (the Cloud port, command runners, the tests' fakes)
      // even where the body awaits nothing, and turns a throw into a rejection as callers expect.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Small functions (docs/contributing.md): one that outgrows a screen is split into named steps.
    // Blank lines and comments are free, so explaining why never counts against a function.
    files: ['source/**/*.{ts,tsx}'],
    rules: {'max-lines-per-function': ['error', {max: 100, skipBlankLines: true, skipComments: true, IIFEs: true}]},
  },
  {
    // Scripts and configs in plain JavaScript are outside tsconfig.json: no type information.
    files: ['**/*.{js,mjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: {projectService: false},
      globals: {process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly'},
    },
  },
  {
    // The unit project starts no moto: motoEndpoint() says so by name where inject() would answer undefined.
    files: ['test/**/*.{ts,tsx}'],
    ignores: ['test/support/aws.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringContaining…) are typed `any` on purpose;
      // an `any` from JSON.parse is still caught where it is used (no-unsafe-member-access, -call, -argument).
      '@typescript-eslint/no-unsafe-assignment': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='inject'][arguments.0.value='motoEndpoint']",
          message: 'Use motoEndpoint() from test/support/aws.ts: it fails with a clear message in the unit project, which starts no moto.',
        },
      ],
    },
  },
  // no-restricted-syntax takes one list per file, so the rules below are sets combined per group of files.
  {
    files: ['source/**/*.{ts,tsx}', 'cli.tsx'],
    ignores: [...CONTROL_OWNERS, WRITER],
    rules: {'no-restricted-syntax': ['error', ...ONE_HOME_PER_CONTROL, ...ONE_WRITER]},
  },
  {files: CONTROL_OWNERS, rules: {'no-restricted-syntax': ['error', ...ONE_WRITER]}},
  {
    files: ['source/**/*.{ts,tsx}', 'cli.tsx'],
    ignores: [TEXT_WRAPPER, ...INERT_OWNERS],
    rules: {'no-restricted-imports': ['error', INERT_BY_DEFAULT]},
  },
  // The wrapper is the one file that imports Ink's Text.
  {files: [TEXT_WRAPPER], rules: {'no-restricted-imports': ['error', {patterns: INERT_BY_DEFAULT.patterns}]}},
  {files: [WRITER], rules: {'no-restricted-syntax': ['error', ...ONE_HOME_PER_CONTROL]}},
);
