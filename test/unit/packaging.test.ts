import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
// @ts-expect-error plain ESM build script without type declarations
import { ignoreFileFor, TARGET_BINARIES } from '../../scripts/platformTargets.mjs';

const binaries = TARGET_BINARIES as Record<string, string>;
const derive = ignoreFileFor as (base: string, target: string) => string;
const base = readFileSync('.vscodeignore', 'utf8');
const reincluded = (ignore: string) =>
  ignore.split('\n').filter((line) => line.startsWith('!node_modules/onnxruntime-node/bin/'));

test('each platform package re-includes exactly its own onnxruntime-node binaries', () => {
  for (const [target, folder] of Object.entries(binaries)) {
    const ignore = derive(base, target);
    assert.deepEqual(reincluded(ignore), [`!node_modules/onnxruntime-node/bin/napi-v6/${folder}/**`], target);
    // Everything else in the ignore file is the same for every platform.
    assert.equal(ignore.split('\n').length, base.split('\n').length, target);
    // The folder exists in the installed onnxruntime-node, with its native binding.
    assert.ok(
      existsSync(`node_modules/onnxruntime-node/bin/napi-v6/${folder}/onnxruntime_binding.node`),
      `${target}: no binding in ${folder}`,
    );
  }
  assert.throws(() => derive(base, 'darwin-x64'), /unknown target darwin-x64/);
  assert.throws(() => derive('node_modules/**\n', 'linux-x64'), /no "!node_modules\/onnxruntime-node/);
});
