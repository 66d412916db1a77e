// typescript-eslint's recommended type-aware rules for all TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { LAYERS, layerPath } from './scripts/layers.mjs';

/**
 * scripts/layers.mjs as no-restricted-imports rules, so the editor underlines a wrong import as
 * it is typed (depcruise checks the resolved paths in `npm run lint`). A relative import names its
 * target by how far up it climbs, so there is one rule per folder depth inside each layer.
 */
function layerImportRules() {
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const rules = [];
  for (const [layer, allowed] of Object.entries(LAYERS)) {
    const home = layerPath(layer);
    const forbidden = Object.keys(LAYERS).filter((other) => other !== layer && !allowed.includes(other));
    const message = `${home}/ may import only ${[layer, ...allowed].map(layerPath).join(', ')} (scripts/layers.mjs).`;
    for (let depth = 0; depth <= 4; depth++) {
      const upToRoot = home.split('/').length + depth;
      const patterns = forbidden.map((other) => {
        const target = layerPath(other);
        // From src/a/ to src/b/ one writes '../b', not '../../src/b': accept both spellings.
        const viaRoot = `(\\.\\./){${upToRoot}}${escape(target)}`;
        const viaSrc =
          home.startsWith('src/') && target.startsWith('src/')
            ? `|(\\.\\./){${upToRoot - 1}}${escape(target.slice('src/'.length))}`
            : '';
        return { regex: `^(${viaRoot}${viaSrc})(/|$)`, message };
      });
      rules.push({
        files: [`${home}/${'*/'.repeat(depth)}*.ts`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              paths:
                layer === 'extension'
                  ? []
                  : [{ name: 'vscode', message: 'Only src/extension imports vscode.' }],
              patterns,
            },
          ],
        },
      });
    }
  }
  return rules;
}

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
  ...layerImportRules(),
);
