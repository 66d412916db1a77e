// typescript-eslint's recommended type-aware rules for all TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-artifacts/**', '.modellab/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The engine, data, experiment and run-folder code runs in plain Node (training process, CLI).
    files: [
      'src/engine/**/*.ts',
      'src/data/**/*.ts',
      'src/experiment/**/*.ts',
      'src/runs/**/*.ts',
      'src/trainer/**/*.ts',
      'src/cli/**/*.ts',
      'src/protocol/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Plain-Node code never imports vscode.' }] },
      ],
    },
  },
);
