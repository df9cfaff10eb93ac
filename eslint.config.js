import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/peers/**', 'coverage/**', 'reports/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The library writes to `diag` only through `privacyDiag` (engine/diagnostic-text.ts), which puts every line
    // through `diagnosticText`: no raw value or secret in a diagnostic.
    files: [
      'engine/**/*.ts',
      'processors/**/*.ts',
      'exporters/**/*.ts',
      'policy/**/*.ts',
      'instrumentation/**/*.ts',
      'cli/**/*.ts',
      'index.ts',
    ],
    ignores: ['engine/diagnostic-text.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@opentelemetry/api',
              importNames: ['diag'],
              message:
                'write diagnostics through privacyDiag (engine/diagnostic-text.ts), which masks values and secrets',
            },
          ],
        },
      ],
    },
  },
);
