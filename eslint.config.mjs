// One lint configuration for the whole repository; no inline disables.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'tasks/*/v*/dist/**', '**/*.mjs'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // The layer rule: only the platform layer may load task-lib, so no other module can echo a secret through it.
    files: ['tasks/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['tasks/*/v*/src/platform/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['azure-pipelines-task-lib', 'azure-pipelines-task-lib/*'],
              message: 'Only src/platform/ imports azure-pipelines-task-lib; take the Pipeline port as a parameter.',
            },
          ],
        },
      ],
    },
  },
);
