// The Debian packages that `npm start` and `npm test` need beyond Node and npm.
// Run as root (a fresh container, CI), the missing ones are installed with apt-get;
// as anyone else, the exact apt-get command is printed and the set-up stops, since
// installing system packages is the machine owner's call.
//   node scripts/setup/systemPackages.mjs <group>…   checks (and as root installs) those groups
import { spawnSync } from 'node:child_process';
import { runWhenMain, SetupError } from './setupError.mjs';

/** Package groups, each with the reason it is needed (shown when one is missing). */
export const PACKAGE_GROUPS = {
  'code-server-build': {
    packages: ['libkrb5-dev', 'pkg-config', 'build-essential', 'python3'],
    why: "to build code-server's native modules (kerberos) when the test tools are installed",
  },
  browser: {
    packages: ['chromium', 'fonts-wqy-zenhei'],
    why: 'for the integration and UI tests (headless Chromium drives code-server; a CJK font shows the Chinese UI)',
  },
  pytorch: {
    packages: ['python3-torch', 'libopenblas0-openmp', 'python3-onnx'],
    why: 'for the PyTorch export tests (Debian PyTorch at /usr/bin/python3)',
  },
};

function hasDpkg() {
  return spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The packages of `packages` that dpkg does not list as installed. */
export function missingPackages(packages) {
  return packages.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { encoding: 'utf8' });
    return query.status !== 0 || query.stdout.trim() !== 'installed';
  });
}

export function aptInstallCommand(packages, sudo) {
  const prefix = sudo ? 'sudo ' : '';
  return `${prefix}apt-get update && ${prefix}apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

function aptGet(args) {
  const result = spawnSync('apt-get', args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0)
    throw new SetupError(
      `apt-get ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}); its output is above.`,
    );
}

/**
 * Makes sure the packages of `groups` (values of PACKAGE_GROUPS) are installed: installs the missing ones as
 * root, otherwise throws a SetupError with the apt-get command to run. On a machine
 * without dpkg (not Debian) it names the packages once and goes on.
 */
export function ensureSystemPackages(groups) {
  const wanted = [...new Set(groups.flatMap((group) => group.packages))];
  if (!hasDpkg()) {
    console.log(
      `[setup] not a Debian system: make sure the equivalents of ${wanted.join(', ')} are installed.`,
    );
    return;
  }
  const missing = missingPackages(wanted);
  if (missing.length === 0) return;
  const reasons = groups
    .filter((group) => group.packages.some((name) => missing.includes(name)))
    .map((group) => `  ${group.packages.filter((name) => missing.includes(name)).join(' ')}: ${group.why}`)
    .join('\n');
  if (process.getuid?.() !== 0) {
    throw new SetupError(
      `Model Lab needs these Debian packages, which are not installed:\n${reasons}\n` +
        `Install them, then run the command again:\n  ${aptInstallCommand(missing, true)}`,
    );
  }
  console.log(`[setup] installing Debian packages:\n${reasons}`);
  aptGet(['update']);
  aptGet(['install', '-y', '--no-install-recommends', ...missing]);
}

await runWhenMain(import.meta.url, (names) => {
  const unknown = names.filter((name) => !(name in PACKAGE_GROUPS));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`usage: systemPackages.mjs <group>…  (groups: ${Object.keys(PACKAGE_GROUPS).join(', ')})`);
    process.exit(2);
  }
  ensureSystemPackages(names.map((name) => PACKAGE_GROUPS[name]));
});
