/** Entry of the training process forked by the extension host (plain Node). */
import { handleEngineCheckMessage } from './engineCheckHandler';

function send(message: unknown): void {
  process.send?.(message);
}

process.on('message', (message: unknown) => {
  if (handleEngineCheckMessage(message, send)) return;
});

// The host owns this process: when the IPC channel closes (host exited or crashed), stop.
process.on('disconnect', () => process.exit(0));
