/**
 * Model Lab's startup in the extension host, measured from here: extension.ts imports this module
 * first, so it runs before every other module of the bundle (esbuild keeps import order).
 */

/** A moment of the startup: wall time, and this thread's CPU time where Node can tell. */
export interface StartupMark {
  wall: number;
  cpu: number | undefined;
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

export const bundleStarted = startupMark();

/**
 * How long Model Lab took to start, in ms. onnxruntime is part of none of these: it loads only in
 * the training process and the CLI. The integration layer reports these figures.
 */
export interface ModelLabStartup {
  /** The bundle's modules: from the first module's top-level code to the end of the last one's. */
  loadMs: number;
  /**
   * Between the bundle's loading and activate(): the extension host's own work (the extension's
   * context, other extensions), none of Model Lab's code. Reported apart: it grows with the load on
   * the machine, whatever the extension does.
   */
  hostMs: number;
  /** activate() itself, until every command is registered. */
  activateMs: number;
  /** The extension host thread's CPU time during loadMs and activateMs, where Node can tell. */
  cpu?: { loadMs: number; activateMs: number };
}

export function startupFigures(
  loaded: StartupMark,
  activateStart: StartupMark,
  activateEnd: StartupMark,
): ModelLabStartup {
  const spans = [
    [bundleStarted, loaded],
    [activateStart, activateEnd],
  ] as const;
  const cpu = spans.map(([from, to]) =>
    from.cpu === undefined || to.cpu === undefined ? undefined : to.cpu - from.cpu,
  );
  return {
    loadMs: loaded.wall - bundleStarted.wall,
    hostMs: activateStart.wall - loaded.wall,
    activateMs: activateEnd.wall - activateStart.wall,
    ...(cpu[0] !== undefined && cpu[1] !== undefined ? { cpu: { loadMs: cpu[0], activateMs: cpu[1] } } : {}),
  };
}
