/**
 * Model Lab's startup in the extension host: the entry (entry.ts) times the loading of the rest of
 * the extension, and activate() its own work.
 */

import type { CodeCacheUse } from './codeCache';

/** A moment of the startup: wall time, and this thread's CPU time where Node can tell. */
export interface StartupMark {
  wall: number;
  cpu: number | undefined;
}

/** A part of the startup, from one mark to another. */
export interface StartupSpan {
  started: StartupMark;
  ended: StartupMark;
}

/**
 * Wall time includes whatever else the machine runs meanwhile; the extension host thread's CPU
 * time is Model Lab's own work. `process.threadCpuUsage` exists from Node 22.14 (the extension
 * host of VS Code 1.139 runs Node 24).
 */
export function startupMark(): StartupMark {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
  return { wall: performance.now(), cpu: usage && (usage.user + usage.system) / 1000 };
}

/**
 * How long Model Lab took to start, in ms. onnxruntime is part of none of these: it loads only in
 * the training process and the CLI. The integration layer reports these figures.
 */
export interface ModelLabStartup {
  /**
   * Loading Model Lab's code (dist/extension-main.js): reading and compiling the bundle, then its
   * modules' top-level code.
   */
  loadMs: number;
  /** Whether that compile came from the code cache (codeCache.ts): none exists at the first start of a build. */
  codeCache: CodeCacheUse;
  /**
   * Between the loading and activate(): the extension host's own work (the extension's context,
   * other extensions), none of Model Lab's code. Reported apart: it grows with the load on the
   * machine, whatever the extension does.
   */
  hostMs: number;
  /** activate() itself, until every command is registered. */
  activateMs: number;
  /** The extension host thread's CPU time during loadMs and activateMs, where Node can tell. */
  cpu?: { loadMs: number; activateMs: number };
}

const wallMs = ({ started, ended }: StartupSpan) => ended.wall - started.wall;
const cpuMs = ({ started, ended }: StartupSpan) =>
  started.cpu === undefined || ended.cpu === undefined ? undefined : ended.cpu - started.cpu;

export function startupFigures(
  loading: StartupSpan,
  codeCache: CodeCacheUse,
  activation: StartupSpan,
): ModelLabStartup {
  const cpu = [cpuMs(loading), cpuMs(activation)];
  return {
    loadMs: wallMs(loading),
    codeCache,
    hostMs: activation.started.wall - loading.ended.wall,
    activateMs: wallMs(activation),
    ...(cpu[0] !== undefined && cpu[1] !== undefined ? { cpu: { loadMs: cpu[0], activateMs: cpu[1] } } : {}),
  };
}
