import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bin/', '*.config.js', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O modules.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'http', 'https', 'child_process', 'crypto'],
              message: 'Workflows must stay deterministic: no Node built-ins.',
            },
            {
              group: ['../activities', '../activities/*'],
              message: 'Import activities as types only (import type).',
              allowTypeImports: true,
            },
            {
              group: [
                '**/src/prometheus/client',
                '**/src/prometheus/batch',
                '**/src/prometheus/measure',
                '**/src/gitops/git/*',
                '**/src/gitops/github/*',
                '**/src/gitops/steps',
                '**/src/gitops/factory',
                '**/src/gitops/rollback-target',
                '**/src/evidence/audit',
                '**/src/evidence/store',
                '**/src/evidence/file-lock',
                '**/src/catalog/loader',
                '**/src/cli/*',
                '**/src/api/*',
                '**/src/operator/*',
                '**/src/worker/*',
                '**/src/tools/*',
              ],
              message: 'Workflows do no I/O; call an activity.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  prettier,
);
