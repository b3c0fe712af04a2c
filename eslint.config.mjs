import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// Layers. Product modules (the control plane: src/* below, workflows/, activities/) never reach the local stack
// (src/stack), the demo tour (src/demo), the demo service (src/demo-service), the throwaway servers that tests
// and the stack start (src/servers) or the install tooling (src/tools). The stack composes the servers and the
// demo service; the tour drives a running stack, never the other way round; the CLI (src/cli) wires everything.
// `outside` matches an import specifier, relative or from the repository root, that reaches a named folder.
const outside = (...folders) => `^(\\.\\.?/)+(src/)?(${folders.join('|')})(/|$)`;
const layer = (folders, why) => ({ regex: outside(...folders), message: why });
const NOT_FROM_PRODUCT = layer(
  ['stack', 'demo', 'demo-service', 'servers', 'tools'],
  'Product modules do not import the local stack, the demo, the demo service, test servers or install tooling.',
);
const PRODUCT = [
  'activities/**/*.ts',
  'workflows/**/*.ts',
  ...[
    'alerts',
    'api',
    'catalog',
    'config',
    'evaluation',
    'evidence',
    'files',
    'gitops',
    'incident',
    'interop',
    'lock',
    'notify',
    'operator',
    'policy',
    'process',
    'prometheus',
    'rules',
    'signing',
    'slo',
    'store',
    'temporal',
    'worker',
  ].map((folder) => `src/${folder}/**/*.ts`),
];
const LAYERS = [
  { files: PRODUCT, patterns: [NOT_FROM_PRODUCT] },
  {
    files: ['src/tools/**/*.ts'],
    patterns: [layer(['stack', 'demo', 'demo-service', 'servers'], 'Install tooling stands alone.')],
  },
  {
    files: ['src/servers/**/*.ts'],
    patterns: [layer(['stack', 'demo', 'demo-service'], 'Test servers do not know the stack or the demo.')],
  },
  {
    files: ['src/demo-service/**/*.ts'],
    patterns: [layer(['stack', 'demo'], 'The demo service is started by the stack; it does not import it.')],
  },
  {
    files: ['src/stack/**/*.ts'],
    patterns: [layer(['demo'], 'The stack composes the demo service; the tour (src/demo) drives the stack.')],
  },
];

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
  ...LAYERS.map(({ files, patterns }) => ({
    files,
    ignores: ['workflows/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
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
                '**/src/process/*',
              ],
              message: 'Workflows do no I/O; call an activity.',
            },
            NOT_FROM_PRODUCT,
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
