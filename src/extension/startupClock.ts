/**
 * When the extension's bundle began to run: extension.ts imports this module first, so it runs
 * before every other module of the bundle (esbuild keeps import order). activate() measures its
 * startup from here (see ModelLabStartup).
 */
export const bundleStartedAt = performance.now();
