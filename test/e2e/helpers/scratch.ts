// code-server's own folders: config, user data, extensions, XDG dirs and TMPDIR
// all live under one root (a throw-away one per test layer), so nothing leaks
// into the home directory.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Scratch {
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly configFile: string;
  /** Environment for processes started inside the scratch folder. */
  readonly env: Record<string, string>;
  /** A copy of `source` at <root>/workspace, so tests may write into it; never overwrites existing files. */
  copyWorkspace(source: string): string;
  remove(): void;
}

/** Settings that keep the workbench quiet: no welcome page, no AI features, no secondary side bar. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

/**
 * Lays out code-server's folders under `root` (created if needed): config, user
 * data with quiet settings, extensions, XDG dirs and TMPDIR. Used for throw-away
 * test folders and for the persistent folder of `npm start`.
 */
export function serverFolders(root: string): Scratch {
  const dirs = {
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    config: join(root, 'xdg-config'),
    cache: join(root, 'xdg-cache'),
    data: join(root, 'xdg-data'),
    tmp: join(root, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userDataDir, 'User'), { recursive: true });
  const settingsFile = join(dirs.userDataDir, 'User', 'settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(quietSettings, null, 2));
  const configFile = join(root, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  return {
    root,
    userDataDir: dirs.userDataDir,
    extensionsDir: dirs.extensionsDir,
    configFile,
    env: {
      XDG_CONFIG_HOME: dirs.config,
      XDG_CACHE_HOME: dirs.cache,
      XDG_DATA_HOME: dirs.data,
      TMPDIR: dirs.tmp,
    },
    copyWorkspace(source) {
      const target = join(root, 'workspace');
      cpSync(source, target, { recursive: true, force: false });
      return target;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A fresh folder under the system temp dir for one test layer; remove() deletes it. */
export function createScratch(prefix: string): Scratch {
  return serverFolders(mkdtempSync(join(tmpdir(), `model-lab-${prefix}-`)));
}
