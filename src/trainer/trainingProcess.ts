/**
 * Entry of the training process forked by the extension host (plain Node).
 * Three channels share its IPC pipe, told apart by their guards: the engine
 * check (protocol/engineCheck.ts), attention probes of finished runs
 * (protocol/attentionProbe.ts) and training (protocol/training.ts).
 */
import type { TrainerEvent } from '../protocol/training';
import { handleAttentionProbeMessage } from './attentionProbeHandler';
import { handleEngineCheckMessage } from './engineCheckHandler';
import { createTrainingHandler } from './trainingHandler';
import { createTrainerDeps } from './trainerModules';

function send(message: unknown): void {
  process.send?.(message);
}

const deps = createTrainerDeps();
const handleTraining = createTrainingHandler(deps, (event: TrainerEvent) => send(event));

process.on('message', (message: unknown) => {
  if (handleEngineCheckMessage(message, send)) return;
  if (handleAttentionProbeMessage(message, deps, send)) return;
  handleTraining(message);
});

// The host owns this process: when the IPC channel closes (host exited or crashed), stop.
process.on('disconnect', () => process.exit(0));
