import * as vscode from 'vscode';
import {
  type EngineCheckReport,
  type EngineCheckRequest,
  isEngineCheckReply,
} from '../../protocol/engineCheck';
import { captureStderrTail, forkTrainingProcess } from '../trainingProcess/forkTrainingProcess';

/** Loading onnxruntime and running a 2×3 graph takes well under a second; this only bounds a hang. */
const engineCheckTimeoutMs = 30_000;

/**
 * Forks a training process, asks it to run the engine check, and resolves with its
 * report. Rejects with a message that says what went wrong (failure reported by the
 * process, early exit with its stderr, or no answer in time). The child is always
 * stopped before this settles.
 */
export async function requestEngineCheck(extensionUri: vscode.Uri): Promise<EngineCheckReport> {
  const child = forkTrainingProcess(extensionUri);
  const stderrTail = captureStderrTail(child);
  let timer: NodeJS.Timeout | undefined;
  const answer = new Promise<EngineCheckReport>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The training process did not answer within ${engineCheckTimeoutMs / 1000} s.`)),
      engineCheckTimeoutMs,
    );
    child.on('message', (message: unknown) => {
      if (!isEngineCheckReply(message)) return;
      if (message.type === 'engineCheck/report') resolve(message.report);
      else reject(new Error(message.message));
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const lastWords = stderrTail();
      reject(
        new Error(
          `The training process exited (${signal ?? `code ${code}`}) before reporting.` +
            (lastWords ? ` Its last output: ${lastWords}` : ''),
        ),
      );
    });
    const request: EngineCheckRequest = { type: 'engineCheck/run' };
    child.send(request);
  });
  try {
    return await answer;
  } finally {
    clearTimeout(timer);
    child.removeAllListeners('exit');
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
