// Training-process side of src/protocol/onnxCheck.ts: checks one ONNX file and answers.
import { readOnnxFile } from '../engine/onnx';
import { checkCompatibility } from '../engine/onnx/compatibility';
import { isOnnxCheckRequest, type OnnxCheckReply } from '../protocol/onnxCheck';

/** Handles `message` when it is an ONNX check request; returns false otherwise. */
export function handleOnnxCheckMessage(message: unknown, send: (reply: OnnxCheckReply) => void): boolean {
  if (!isOnnxCheckRequest(message)) return false;
  // Reading may throw (not ONNX, a missing external data file): the failure names why.
  Promise.resolve()
    .then(() => checkCompatibility(readOnnxFile(message.path)))
    .then(
      (report) => send({ type: 'onnxCheck/report', report }),
      (error: unknown) =>
        send({ type: 'onnxCheck/failure', message: error instanceof Error ? error.message : String(error) }),
    );
  return true;
}
