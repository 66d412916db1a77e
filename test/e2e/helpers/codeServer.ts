// Starts and stops one code-server (VS Code 1.139 with a Node 24 extension host)
// for a test layer. It runs in its own process group (setsid through
// `detached`), so stopping kills its helpers too (extension host, pty host,
// forked training processes).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Scratch } from './scratch';
import { assertToolsInstalled, codeServerEntry, node24 } from './tools';

export interface CodeServer {
  /** Resolves when the server process exits. */
  readonly exited: Promise<void>;
  /** http://127.0.0.1:<port>/ */
  readonly url: string;
  /** Everything the server and its extension host printed. */
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  readonly scratch: Scratch;
  /** Folder opened by default (also passed as ?folder= by openWorkbench). */
  readonly workspace: string;
  /** Extra command-line flags, e.g. ['--vscode-option', 'enable-smoke-test-driver']. */
  readonly extraArgs?: readonly string[];
  /** Extra environment; it reaches the extension host (and test suites running there). */
  readonly env?: Readonly<Record<string, string>>;
  /** Port on 127.0.0.1; a free one when omitted. */
  readonly port?: number;
  /**
   * Keep VS Code's workspace trust (prompt, Restricted Mode). Off by default:
   * tests start trusted unless they are about trust.
   */
  readonly workspaceTrust?: boolean;
  /** Extensions already installed elsewhere (another server's scratch); default: the scratch's own. */
  readonly extensionsDir?: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function baseArgs(scratch: Scratch, extensionsDir = scratch.extensionsDir): string[] {
  return [
    codeServerEntry,
    '--config',
    scratch.configFile,
    '--user-data-dir',
    scratch.userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];
}

function childEnv(scratch: Scratch, extra?: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  return { ...process.env, ...scratch.env, ...extra };
}

/** Installs a .vsix into the scratch extensions folder (code-server --install-extension). */
export async function installExtension(scratch: Scratch, vsix: string): Promise<string> {
  assertToolsInstalled();
  const { stdout } = await promisify(execFile)(node24, [...baseArgs(scratch), '--install-extension', vsix], {
    env: childEnv(scratch),
    timeout: 120_000,
  });
  return stdout;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(new URL('healthz', url));
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs / 1000} s`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertToolsInstalled();
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}/`;
  const logFile = join(options.scratch.root, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    node24,
    [
      ...baseArgs(options.scratch, options.extensionsDir),
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.extraArgs ?? []),
      options.workspace,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(options.scratch, options.env) },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(child, 'SIGTERM');
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000));
      if ((await Promise.race([exited, timeout])) === 'timeout') killGroup(child, 'SIGKILL');
    }
    // Helpers (extension host, pty host) may outlive the main process: sweep the group.
    killGroup(child, 'SIGKILL');
    log.end();
  };
  try {
    await waitForHealth(url, child, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, logFile, stop, exited };
}
