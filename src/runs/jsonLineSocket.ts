/**
 * Messages over a socket as one JSON document per line: how a window talks to
 * a training process it did not start (it attached through the run's
 * owner.json endpoint after a reload). The same messages as the forked
 * process's IPC channel (protocol/training.ts); receivers narrow each with
 * its guard, and a line that is not JSON is dropped.
 */
import type { Socket } from 'node:net';

export interface JsonLineSocket {
  send(message: unknown): void;
  /** Ends the connection after what was sent is flushed. */
  close(): void;
  readonly closed: boolean;
}

export function jsonLineSocket(
  socket: Socket,
  onMessage: (message: unknown) => void,
  onClose: () => void,
): JsonLineSocket {
  let buffered = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      onMessage(message);
    }
  });
  // An error (the other side vanished) is followed by 'close'.
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    onClose();
  });
  return {
    send(message) {
      if (!closed && socket.writable) socket.write(JSON.stringify(message) + '\n');
    },
    close() {
      socket.end();
    },
    get closed() {
      return closed;
    },
  };
}
