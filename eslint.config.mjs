// @ts-check
// ESLint flat config: typescript-eslint's type-aware recommended rules over every TypeScript file, then
// eslint-config-prettier last so that no rule argues with Prettier about layout (Prettier owns it).
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['src/generated/', 'dist/', '.neo4j/', 'test-output/']),
  eslint.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `import type` is erased at run time: this is what lets `npm start` run without the generated files.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A floating promise in a server is an unhandled rejection waiting to happen.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Apollo Server's plugin hooks are async by their interface; an async hook with nothing to await is
      // the idiom of Apollo's own documentation, not a mistake.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The code `npm start` runs may take only types from src/generated/: the generated files exist after
    // `npm run codegen` (a development step) and are not in the repository, so a value import would break
    // a production install (npm ci --omit=dev).
    files: ['src/**/*.ts'],
    rules: {
      // The server writes through its JSON logger only; command-line tools (seed/, bench/) print.
      'no-console': 'error',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/generated/**'],
              allowTypeImports: true,
              message: 'The server may import only types from src/generated (it runs without codegen output).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  prettier,
);
