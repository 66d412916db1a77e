/**
 * Entry of the training process forked by the extension host (plain Node).
 * Two channels share its IPC pipe, told apart by their guards: the engine
 * check (protocol/engineCheck.ts) and training (protocol/training.ts).
 */
import type { TrainerEvent } from '../protocol/training';
import { handleEngineCheckMessage } from './engineCheckHandler';
import { createTrainingHandler } from './trainingHandler';
import { createTrainerDeps } from './trainerModules';

function send(message: unknown): void {
  process.send?.(message);
}

const handleTraining = createTrainingHandler(createTrainerDeps(), (event: TrainerEvent) => send(event));

process.on('message', (message: unknown) => {
  if (handleEngineCheckMessage(message, send)) return;
  handleTraining(message);
});

// The host owns this process: when the IPC channel closes (host exited or crashed), stop.
process.on('disconnect', () => process.exit(0));
