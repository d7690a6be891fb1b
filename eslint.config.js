// ESLint flat config. No type-aware rules: `tsc` already checks types in `npm run typecheck`,
// and without a TypeScript program the whole lint stays fast on a two-core kiosk builder.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layering from './eslint-rules/layering.js';

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts'];

// describe.only / it.skip / test.todo, also chained (test.concurrent.only, it.only.each).
const TEST_RUNNERS = '/^(describe|suite|it|test)$/';
const FOCUS_OR_SKIP = '/^(only|skip|todo)$/';
const FOCUS_OR_SKIP_MESSAGE =
  'Focused, skipped or todo tests must not be committed: every test runs on every `npm test`. Fix or delete the test instead.';

export default defineConfig([
  globalIgnores(
    ['dist/', 'release/', 'node_modules/', 'test-results/', 'coverage/', '.data/', 'lint-fixtures/'],
    // lint-fixtures/ breaks the layering on purpose; only eslint-rules/layering.test.ts lints it.
    'pccovid/ignores',
  ),

  {
    name: 'pccovid/javascript',
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  {
    name: 'pccovid/typescript',
    files: TS_FILES,
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  {
    name: 'pccovid/no-focused-or-skipped-tests',
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `MemberExpression[object.name=${TEST_RUNNERS}][property.name=${FOCUS_OR_SKIP}]`,
          message: FOCUS_OR_SKIP_MESSAGE,
        },
        {
          selector: `MemberExpression[object.type='MemberExpression'][object.object.name=${TEST_RUNNERS}][property.name=${FOCUS_OR_SKIP}]`,
          message: FOCUS_OR_SKIP_MESSAGE,
        },
      ],
    },
  },

  // Runtimes: the kiosk UI is a browser page; everything else that is not src/common runs on Node.
  // (src/common gets no globals: its own tsconfig proves it needs none.)
  {
    name: 'pccovid/node-globals',
    files: ['src/main/**', 'src/hub/**', 'hardware/**', 'bench/**', 'test/**', 'build/**', 'bin/**', 'eslint-rules/**', '*.{js,mjs,cjs,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: 'pccovid/browser-globals',
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    name: 'pccovid/commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // Library code logs through the one pino logger; the CLI prints to its terminal, benchmarks
  // print their figures.
  {
    name: 'pccovid/no-console',
    files: ['src/**', 'hardware/**'],
    ignores: ['src/main/cli/**'],
    rules: { 'no-console': 'error' },
  },

  {
    name: 'pccovid/layering',
    files: ['src/**/*.ts', 'hardware/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    plugins: { pccovid: { rules: { layering } } },
    rules: { 'pccovid/layering': ['error', { root: import.meta.dirname }] },
  },
]);
