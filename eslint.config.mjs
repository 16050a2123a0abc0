// `npm run lint`: TypeScript-aware linting of source, tests and scripts, with React's rules of
// hooks, so an effect that reads something it does not list as a dependency is caught in CI.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['dist/**', '.bench/**', '.moto/**', 'node_modules/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
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
    },
  },
  {
    // The unit project starts no moto: motoEndpoint() says so by name where inject() would answer undefined.
    files: ['test/**/*.{ts,tsx}'],
    ignores: ['test/support/aws.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='inject'][arguments.0.value='motoEndpoint']",
          message: 'Use motoEndpoint() from test/support/aws.ts: it fails with a clear message in the unit project, which starts no moto.',
        },
      ],
    },
  },
  {
    // Everything tandem prints goes through the one writer (source/output.ts), which makes text
    // from AWS and from the operator inert by default; a direct write would skip that.
    files: ['source/**/*.{ts,tsx}', 'cli.tsx'],
    ignores: ['source/output.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='write'][callee.object.property.name=/^std(out|err)$/]",
          message: 'Write through the writer in source/output.ts (createOutput(io).say/print/json), which makes supplied text inert.',
        },
        {selector: "MemberExpression[object.name='console']", message: 'Write through the writer in source/output.ts.'},
      ],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly'}},
  },
);
