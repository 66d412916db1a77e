/**
 * Loads the extension's main bundle as `require` would, with V8's code cache for it kept beside
 * the bundle. Node compiles a CommonJS file again at every start of the editor: for
 * dist/extension-main.js that took 17–24 ms of the extension host's thread on Node 24 here, and
 * 4–5 ms from the cache. VS Code keeps no such cache for extensions.
 *
 * The cache is named after a hash of the bundle's bytes and the V8 version: V8 itself checks
 * only the source's length, so a rebuilt bundle of the same length must not find the old cache.
 * Anything that goes wrong with the cache (a folder that cannot be written, a cache V8 rejects)
 * costs only the compile it would have saved: the bundle loads as it would without one. The cache
 * lives in the extension's own folder, so only whoever can change the bundle can change it.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';

/** What became of the code cache in one load. */
export type CodeCacheUse = 'used' | 'made' | 'rejected';

export interface LoadedBundle {
  exports: unknown;
  cache: CodeCacheUse;
  /** Writes the cache made by this load, when there is one to write; never throws. */
  saveCache(): void;
}

const CACHE_SUFFIX = '.codecache';

/** `<bundle>.<hash of its bytes and V8's version>.codecache`, beside the bundle. */
export function codeCacheFile(file: string, bytes: Uint8Array): string {
  const key = createHash('sha256').update(process.versions.v8).update('\0').update(bytes).digest('hex');
  return `${file}.${key.slice(0, 16)}${CACHE_SUFFIX}`;
}

function readCache(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function removeCache(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Not ours to remove (a read-only installation): V8 rejects it again, and the bundle still loads.
  }
}

/** Writes the cache through a temporary file, and removes this bundle's caches of other builds. */
function writeCache(file: string, cacheFile: string, data: Buffer): void {
  try {
    const partial = `${cacheFile}.${process.pid}.partial`;
    writeFileSync(partial, data);
    renameSync(partial, cacheFile);
    const folder = dirname(file);
    for (const name of readdirSync(folder))
      if (
        name.startsWith(`${basename(file)}.`) &&
        name.endsWith(CACHE_SUFFIX) &&
        name !== basename(cacheFile)
      )
        rmSync(join(folder, name), { force: true });
  } catch {
    // A read-only installation: every start compiles, as without a cache.
  }
}

/** Loads a CommonJS file (`require(file)`), compiled from its code cache where one fits. */
export function requireWithCodeCache(file: string): LoadedBundle {
  const bytes = readFileSync(file);
  const cacheFile = codeCacheFile(file, bytes);
  // esbuild writes code as ASCII (it escapes the rest), so only a comment it keeps can hold other
  // characters. Decoding ASCII as Latin-1 is a plain copy into a one-byte string. Decoding as UTF-8
  // a text with even one non-ASCII character makes a two-byte string: twice the memory, and for
  // this bundle 3–4 ms more of the editor's startup between decoding and hashing it.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cachedData = readCache(cacheFile);
  const compiled = compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], {
    filename: file,
    ...(cachedData ? { cachedData } : { produceCachedData: true }),
  }) as ((...args: unknown[]) => void) & { cachedDataRejected?: boolean; cachedData?: Buffer };
  const rejected = cachedData !== undefined && compiled.cachedDataRejected === true;
  // The module as Node's loader would make it: in require.cache, requiring relative to its folder.
  // VS Code gives the `vscode` API to the extension whose folder holds the requiring module.
  const bundle = new Module(file);
  bundle.filename = file;
  require.cache[file] = bundle;
  try {
    compiled.call(bundle.exports, bundle.exports, createRequire(file), bundle, file, dirname(file));
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  bundle.loaded = true;
  const made = cachedData === undefined ? compiled.cachedData : undefined;
  return {
    exports: bundle.exports,
    cache: cachedData === undefined ? 'made' : rejected ? 'rejected' : 'used',
    saveCache() {
      // A rejected cache (another V8 build, a damaged file) is made again from a fresh compile next time.
      if (rejected) removeCache(cacheFile);
      else if (made) writeCache(file, cacheFile, made);
    },
  };
}
