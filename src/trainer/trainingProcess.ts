/**
 * Entry of the training process forked by the extension host (plain Node).
 * Six channels share its IPC pipe, told apart by their guards: the engine
 * check (protocol/engineCheck.ts), the compatibility check of an ONNX file
 * (protocol/onnxCheck.ts) and its evaluation on data (protocol/onnxEvaluate.ts),
 * attention probes of finished runs (protocol/attentionProbe.ts), the
 * playground (protocol/playground.ts) and training (protocol/training.ts).
 */
// First: below normal priority before onnxruntime loads and starts threads.
import './lowerPriority';
import { handleAttentionProbeMessage } from './attentionProbeHandler';
import { handleEngineCheckMessage } from './engineCheckHandler';
import { ipcParentLink } from './hostLinks';
import { handleOnnxCheckMessage } from './onnxCheckHandler';
import { handleOnnxEvaluateMessage } from './onnxEvaluateHandler';
import { PlaygroundHandler } from './playgroundHandler';
import { TrainingService } from './trainingHandler';
import { createTrainerDeps } from './trainerModules';
import { L10N_BUNDLE_ENV } from '../protocol/training';
import { useTranslations } from './translations';

// Messages this process sends (errors, device reports, log lines) in the window's display language.
useTranslations(process.env[L10N_BUNDLE_ENV]);
const parent = ipcParentLink();
const send = (message: unknown): void => parent?.send(message);

// A window that reloads closes the pipes of this process's output; writing there must not end training.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

const deps = createTrainerDeps();
const training = new TrainingService(deps, parent, () => process.exit(0));
const playground = new PlaygroundHandler(deps, send);

process.on('message', (message: unknown) => {
  if (handleEngineCheckMessage(message, send)) return;
  if (handleOnnxCheckMessage(message, send)) return;
  if (handleOnnxEvaluateMessage(message, deps, send)) return;
  if (handleAttentionProbeMessage(message, deps, send)) return;
  if (playground.handle(message)) return;
  training.handle(message);
});

// A check, an evaluation or a probe ends with its window; a training run outlives it for a grace period.
process.on('disconnect', () => (training.training ? training.parentGone() : process.exit(0)));
