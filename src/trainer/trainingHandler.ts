/**
 * Training-process side of src/protocol/training.ts: the first `start` runs
 * the training loop; `stop` sets the flag the loop polls between steps. One
 * process trains one run; a second `start` is answered with `failed`.
 */
import { isStartTraining, isStopTraining, type TrainerEvent } from '../protocol/training';
import { coalesceMetrics } from './coalesceMetrics';
import { stepPaceFrom, type StepPace } from './stepPacing';
import { runTraining } from './trainer';
import type { TrainerDeps } from './trainerDeps';

/** Returns a handler that takes every message and says whether it was a training message. */
export function createTrainingHandler(
  deps: TrainerDeps,
  send: (event: TrainerEvent) => void,
): (message: unknown) => boolean {
  let started = false;
  let stopRequested = false;
  return (message) => {
    if (isStopTraining(message)) {
      stopRequested = true;
      return true;
    }
    if (!isStartTraining(message)) return false;
    if (started) {
      send({
        type: 'failed',
        error: 'This training process is already training a run; start another process.',
      });
      return true;
    }
    started = true;
    let paceSteps: StepPace | undefined;
    try {
      paceSteps = stepPaceFrom(process.env);
    } catch (error) {
      send({ type: 'failed', error: (error as Error).message });
      return true;
    }
    void runTraining(message, deps, {
      emit: coalesceMetrics(send),
      stopRequested: () => stopRequested,
      paceSteps,
    });
    return true;
  };
}
