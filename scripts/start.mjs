// `npm start`: Model Lab in a VS Code, on its built-in defaults.
//   - installs dependencies when needed, builds and packages the .vsix
//   - desktop VS Code (`code` on PATH): installs the .vsix there and opens the sample workspace
//   - otherwise: installs the test tools (Node 24 + code-server, cached in MODEL_LAB_TOOLS;
//     the Debian packages code-server's build needs are installed as root, otherwise the
//     apt-get command is printed and it stops), starts code-server with the extension
//     installed and the sample workspace open, and prints the URL
// The sample workspace is a copy of samples/getting-started in .sample-workspace/ (your
// edits there are kept). Set PORT to choose code-server's port (default 8080).
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './setup/dependencies.mjs';
import { setUpOrExit } from './setup/setupError.mjs';
import { ensureTestTools } from './setup/testTools.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vsix = join(repo, 'dist', 'model-lab.vsix');
const sampleSource = join(repo, 'samples', 'getting-started');
const run = (command, args) => execFileSync(command, args, { cwd: repo, stdio: 'inherit' });

function hasDesktopCode() {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

await setUpOrExit(() => ensureDependencies(repo));
run('npm', ['run', '--silent', 'package']);

// Helpers shared with the UI tests (TypeScript; tsx compiles them on require).
const { register } = await import('tsx/cjs/api');
register();
const require = createRequire(import.meta.url);
const { serverFolders } = require('../test/e2e/helpers/scratch.ts');

const folders = serverFolders(join(repo, '.sample-workspace'));
const workspace = folders.copyWorkspace(sampleSource);

if (hasDesktopCode()) {
  run('code', ['--install-extension', vsix, '--force']);
  run('code', [workspace]);
  console.log(`\nModel Lab is installed in VS Code; opened ${workspace}.`);
} else {
  await setUpOrExit(() => ensureTestTools());
  const { installExtension, startCodeServer } = require('../test/e2e/helpers/codeServer.ts');
  await installExtension(folders, vsix);
  const server = await startCodeServer({
    scratch: folders,
    workspace,
    port: Number(process.env.PORT ?? 8080),
  });
  const url = new URL(server.url);
  url.searchParams.set('folder', workspace);
  console.log(
    `\nModel Lab is running in code-server: open ${url}\n(log: ${server.logFile}; Ctrl+C stops it)`,
  );
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await server.exited;
}
