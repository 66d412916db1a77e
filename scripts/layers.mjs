// The allowed import direction between Model Lab's folders, written once.
// `.dependency-cruiser.mjs` turns it into the exact check `npm run lint` runs
// (resolved paths, type-only imports included, plus no file cycles), and
// eslint.config.mjs into per-folder no-restricted-imports rules so the editor
// underlines a wrong import as it is typed. ARCHITECTURE.md draws the same
// table ("Dependency direction").
//
// Each entry: the folders (under src/, or `webview`) that code in this folder
// may import besides its own. Anything else of ours is refused.
export const LAYERS = {
  contract: [],
  engine: ['contract'],
  data: ['contract', 'engine'],
  experiment: ['contract', 'engine', 'data'],
  protocol: ['contract'],
  runs: ['contract', 'engine', 'data', 'experiment', 'protocol'],
  trainer: ['contract', 'engine', 'data', 'experiment', 'protocol', 'runs'],
  export: ['contract', 'engine', 'data', 'experiment'],
  extension: ['contract', 'engine', 'data', 'experiment', 'protocol', 'runs', 'export'],
  cli: ['contract', 'engine', 'data', 'experiment', 'protocol', 'runs', 'trainer', 'export'],
  webview: ['contract', 'protocol'],
};

/** Where a layer's files live, relative to the repository root. */
export function layerPath(layer) {
  return layer === 'webview' ? 'webview' : `src/${layer}`;
}
