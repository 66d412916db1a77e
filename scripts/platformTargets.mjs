// The platforms Model Lab is packaged for, and the .vscodeignore of each.
// onnxruntime-node carries a native binding per platform under bin/napi-v6/<os>/<arch>/
// (loaded by `process.platform`/`process.arch`); each .vsix ships only its own.

/** vsce target → onnxruntime-node binary folder. */
export const TARGET_BINARIES = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'darwin-arm64': 'darwin/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
};

const BINARY_LINE = /^!node_modules\/onnxruntime-node\/bin\/napi-v6\/[^/]+\/[^/]+\/\*\*$/m;

/** The repository's .vscodeignore (written for linux-x64) with `target`'s binaries re-included instead. */
export function ignoreFileFor(baseIgnore, target) {
  const folder = TARGET_BINARIES[target];
  if (!folder) throw new Error(`unknown target ${target}; known: ${Object.keys(TARGET_BINARIES).join(', ')}`);
  if (!BINARY_LINE.test(baseIgnore)) {
    throw new Error('.vscodeignore has no "!node_modules/onnxruntime-node/bin/napi-v6/<os>/<arch>/**" line');
  }
  return baseIgnore.replace(BINARY_LINE, `!node_modules/onnxruntime-node/bin/napi-v6/${folder}/**`);
}
