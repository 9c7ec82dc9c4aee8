// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import prettier from 'eslint-config-prettier';

const PROCESSES_TIER = 'a unit test starts no process; one that does belongs in test/processes';
const WORKER_TIER = 'a test that starts or trains with the Python worker belongs in test/workerBacked';
const WORKER_IMPORTS = [
  { group: ['**/worker/workerSupervisor', '**/creditModelFixture'], message: `the worker is a Python process: ${WORKER_TIER}.` },
  { group: ['**/support/tinyEntityModel'], importNames: ['ensureTrainedModel'], message: `it trains with the worker: ${WORKER_TIER}.` },
];
const NO_CHILD_PROCESS = ['node:child_process', 'child_process'].map((name) => ({ name, message: `${PROCESSES_TIER}.` }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.tools/**', '.venv/**', 'dist-vsix/**', 'test-results/**', 'samples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Layout is Prettier's (npm run format); lint keeps to what formatting cannot decide.
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/webview/**/*.ts', 'test/integration/webviewProbe/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Unit tests start no process: the tests that start the language server, the CLI or Python are test/processes'
  // (npm run test:processes), the ones that train with the worker test/workerBacked's. The helpers they share
  // (test/support) start none either.
  {
    files: ['test/unit/**/*.ts', 'test/support/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: NO_CHILD_PROCESS }],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/^(node:)?child_process$/]', message: `${PROCESSES_TIER}.` }],
    },
  },
  {
    files: ['test/unit/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: NO_CHILD_PROCESS, patterns: WORKER_IMPORTS }],
    },
  },
  // test/processes starts node and python3, not the worker: a test that needs the worker is test/workerBacked's.
  {
    files: ['test/processes/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: WORKER_IMPORTS }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
