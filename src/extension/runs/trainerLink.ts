/**
 * The host's line to a training process: the IPC channel of a process this
 * window forked, or, after a reload, a connection to the endpoint a running
 * process published in its run's owner.json. ActiveRun treats both alike.
 * Plain Node.
 */
import * as l10n from '@vscode/l10n';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import type { HostToTrainer } from '../../protocol/training';
import { jsonLineSocket } from '../../runs/jsonLineSocket';
import { processIsAlive } from '../../runs/runOwner';

export interface TrainerLink {
  readonly pid: number | undefined;
  send(message: HostToTrainer): void;
  /** Lets the process go without stopping it: it trains on, and exits once its run has ended. */
  detach(): void;
  kill(): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The process ended, or the connection to it closed; `how` in a few words ("was killed by SIGKILL"). */
  onEnded(listener: (how: string) => void): void;
  /** What the process writes to stdout and stderr (only a forked one's is visible). */
  onOutput(listener: (chunk: string) => void): void;
}

export function forkedLink(child: ChildProcess): TrainerLink {
  return {
    pid: child.pid,
    send: (message) => {
      if (child.connected) child.send(message);
    },
    detach: () => {
      if (child.connected) child.disconnect();
      // Our end of its output pipes must not keep this process waiting.
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
    },
    kill: () => child.kill('SIGKILL'),
    onMessage: (listener) => child.on('message', listener),
    onEnded: (listener) => {
      child.on('error', (error) => listener(l10n.t('could not run ({0})', error.message)));
      child.on('exit', (code, signal) =>
        listener(signal ? l10n.t('was killed by {0}', signal) : l10n.t('exited with code {0}', String(code))),
      );
    },
    onOutput: (listener) => {
      for (const stream of [child.stdout, child.stderr])
        stream?.on('data', (chunk: Buffer) => listener(chunk.toString()));
    },
  };
}

/** Connects to a training process's endpoint; rejects when nothing listens there. */
export function attachToTrainer(endpoint: string, pid: number): Promise<TrainerLink> {
  return new Promise((resolve, reject) => {
    const socket = connect(endpoint);
    const messageListeners: ((message: unknown) => void)[] = [];
    const endedListeners: ((how: string) => void)[] = [];
    let attached = false;
    const channel = jsonLineSocket(
      socket,
      (message) => messageListeners.forEach((listener) => listener(message)),
      () => {
        if (!attached) return;
        const how = processIsAlive(pid) ? l10n.t('closed its connection') : l10n.t('ended');
        endedListeners.forEach((listener) => listener(how));
      },
    );
    socket.once('error', (error) => {
      if (!attached) reject(error);
    });
    socket.once('connect', () => {
      attached = true;
      resolve({
        pid,
        send: (message) => channel.send(message),
        detach: () => channel.close(),
        kill: () => {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        },
        onMessage: (listener) => messageListeners.push(listener),
        onEnded: (listener) => endedListeners.push(listener),
        onOutput: () => undefined,
      });
    });
  });
}
