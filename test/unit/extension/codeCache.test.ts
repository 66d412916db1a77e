// The entry loads the extension's main bundle through V8's code cache kept beside it
// (src/extension/codeCache.ts): it must load exactly as `require` would, use the cache on the next
// start, never use a cache made for other text, and shrug off a damaged cache or a folder it cannot write.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { codeCacheFile, requireWithCodeCache } from '../../../src/extension/codeCache';

const folders: string[] = [];
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A bundle that requires a file beside it and reads its own location, as dist/extension-main.js does. */
function bundleFolder(answer = 42): { folder: string; file: string } {
  const folder = mkdtempSync(join(tmpdir(), 'model-lab-code-cache-'));
  folders.push(folder);
  writeFileSync(join(folder, 'part.js'), 'module.exports = { part: "beside" };\n');
  const file = join(folder, 'main.js');
  writeFileSync(
    file,
    `const { part } = require('./part.js');
const { basename } = require('node:path');
exports.answer = ${answer};
exports.part = part;
exports.where = basename(__dirname) + '/' + basename(__filename);
exports.self = module.exports === exports;
`,
  );
  return { folder, file };
}

const caches = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.codecache'));

test('the bundle loads as require would, and the next load compiles from the cache saved beside it', () => {
  const { folder, file } = bundleFolder();
  const first = requireWithCodeCache(file);
  assert.deepEqual(first.exports, {
    answer: 42,
    part: 'beside',
    where: `${basename(folder)}/main.js`,
    self: true,
  });
  assert.equal(first.cache, 'made');
  // In require.cache like any module: a later require gets the same exports without loading it again.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- what the check is about
  assert.equal(require(file), first.exports);
  assert.deepEqual(caches(folder), []);
  first.saveCache();
  assert.deepEqual(caches(folder), [basename(codeCacheFile(file, readFileSync(file)))]);
  delete require.cache[file];
  const second = requireWithCodeCache(file);
  assert.equal(second.cache, 'used');
  assert.deepEqual(second.exports, first.exports);
});

test('a rebuilt bundle of the same length does not use the old cache, and saving its own removes the old one', () => {
  const { folder, file } = bundleFolder(42);
  const old = requireWithCodeCache(file);
  old.saveCache();
  const [oldCache] = caches(folder);
  delete require.cache[file];
  // V8 checks only the source's length: the same length with other code must still compile afresh.
  writeFileSync(file, readFileSync(file, 'utf8').replace('exports.answer = 42', 'exports.answer = 43'));
  const rebuilt = requireWithCodeCache(file);
  assert.equal(rebuilt.cache, 'made');
  assert.equal((rebuilt.exports as { answer: number }).answer, 43);
  rebuilt.saveCache();
  assert.equal(caches(folder).length, 1);
  assert.notEqual(caches(folder)[0], oldCache);
  delete require.cache[file];
});

test('text outside ASCII in the bundle reads back as written, in code and in comments', () => {
  const { file } = bundleFolder();
  // The ASCII fast path must not decode such a bundle as Latin-1.
  writeFileSync(file, '/** π · × … 中文 */\nexports.text = "naïve · 训练 ✓";\n');
  const loaded = requireWithCodeCache(file);
  assert.equal((loaded.exports as { text: string }).text, 'naïve · 训练 ✓');
  loaded.saveCache();
  delete require.cache[file];
  const again = requireWithCodeCache(file);
  assert.equal(again.cache, 'used');
  assert.equal((again.exports as { text: string }).text, 'naïve · 训练 ✓');
  delete require.cache[file];
});

test('a damaged cache is rejected, the bundle still loads, and the cache is made again at the next start', () => {
  const { folder, file } = bundleFolder();
  const cacheFile = codeCacheFile(file, readFileSync(file));
  writeFileSync(cacheFile, Buffer.alloc(4096, 7));
  const loaded = requireWithCodeCache(file);
  assert.equal(loaded.cache, 'rejected');
  assert.equal((loaded.exports as { answer: number }).answer, 42);
  loaded.saveCache();
  assert.equal(existsSync(cacheFile), false, 'the rejected cache is still there');
  delete require.cache[file];
  const next = requireWithCodeCache(file);
  assert.equal(next.cache, 'made');
  next.saveCache();
  assert.deepEqual(caches(folder).length, 1);
  delete require.cache[file];
});

test('a folder that cannot be written costs only the cache: saving does not throw', () => {
  const { folder, file } = bundleFolder();
  const loaded = requireWithCodeCache(file);
  rmSync(folder, { recursive: true, force: true });
  assert.doesNotThrow(() => loaded.saveCache());
  delete require.cache[file];
});

test('a bundle whose top-level code throws fails to load as with require, and is not left in require.cache', () => {
  const { file } = bundleFolder();
  writeFileSync(file, "throw new Error('broken bundle');\n");
  assert.throws(() => requireWithCodeCache(file), /broken bundle/);
  assert.equal(require.cache[file], undefined);
});
