// ESLint 9 flat config: typescript-eslint recommendedTypeChecked over lib/, spec/, bench/, scripts/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'coverage/**', '.scratch-*/**', 'lib/delivery/generated/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The primary stays small: no AWS SDK, no postgres.js, no job code (operations.md §1.2).
    files: ['lib/supervisor/**/*.ts', 'lib/http/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/worker/**', '**/jobs/**', '@aws-sdk/*', 'postgres'], message: 'The primary must not import worker, job, AWS or database code.', allowTypeImports: true },
        ],
      }],
    },
  },
  {
    files: ['spec/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
