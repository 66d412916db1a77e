// Training-process side of src/protocol/onnxEvaluate.ts: scores one model on one data file and answers.
import { isOnnxEvaluateRequest, type OnnxEvaluateReply } from '../protocol/onnxEvaluate';
import { evaluateOnnxOnData } from './onnxDataEvaluation';
import type { TrainerDeps } from './trainerDeps';

/** Handles `message` when it is an evaluation request; returns false otherwise. */
export function handleOnnxEvaluateMessage(
  message: unknown,
  deps: TrainerDeps,
  send: (reply: OnnxEvaluateReply) => void,
): boolean {
  if (!isOnnxEvaluateRequest(message)) return false;
  evaluateOnnxOnData(message.model, message.data, deps, message.sizes).then(
    (report) => send({ type: 'onnxEvaluate/report', report }),
    (error: unknown) =>
      send({ type: 'onnxEvaluate/failure', message: error instanceof Error ? error.message : String(error) }),
  );
  return true;
}
