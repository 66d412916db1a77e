import { isAbsolute, resolve } from 'node:path';

/** Absolute path of a non-builtin source: relative paths resolve against the experiment file's folder. */
export function resolveSource(source: string, experimentDir: string): string {
  return isAbsolute(source) ? source : resolve(experimentDir, source);
}
