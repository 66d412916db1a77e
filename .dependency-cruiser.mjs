// Import rules checked by `npm run lint` (depcruise): no cycle between files,
// and every import between folders follows scripts/layers.mjs.
import { LAYERS, layerPath } from './scripts/layers.mjs';

const ours = Object.keys(LAYERS).map(layerPath);

const directionRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  name: `${layer}-direction`,
  comment: `${layerPath(layer)}/ may import only ${allowed.length ? allowed.map(layerPath).join(', ') : 'nothing of ours'} (scripts/layers.mjs)`,
  severity: 'error',
  from: { path: `^${layerPath(layer)}/` },
  to: {
    path: `^(${ours.join('|')})/`,
    pathNot: `^(${[layer, ...allowed].map(layerPath).join('|')})/`,
  },
}));

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Files import each other in a cycle; move what both need into a third file.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contract-self-contained',
      comment: 'src/contract/ is shared with the browser (webviews): no Node built-ins, no packages.',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { pathNot: '^src/contract/' },
    },
    ...directionRules,
  ],
  options: {
    // Type-only imports count: they tie the files together just the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
