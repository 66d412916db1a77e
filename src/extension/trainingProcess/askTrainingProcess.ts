import * as vscode from 'vscode';
import { captureStderrTail, forkTrainingProcess } from './forkTrainingProcess';

/** What a reply means to the asker: the answer, a failure the process reported, or not ours. */
export type ReplyReading<T> = { answer: T } | { failure: string } | undefined;

/** Reads a channel's usual reply pair: a message with a `report` answers, one with a `message` failed. */
export function reportOrFailure<R>(
  isReply: (message: unknown) => message is { report: R } | { message: string },
): (message: unknown) => ReplyReading<R> {
  return (message) => {
    if (!isReply(message)) return undefined;
    return 'report' in message ? { answer: message.report } : { failure: message.message };
  };
}

/**
 * Forks a training process for one question (the engine check, an ONNX file's check), sends
 * `request` and resolves with the answer `read` finds in its replies. Rejects with a message
 * that says what went wrong: a failure the process reported, an early exit with its stderr,
 * or no answer within `timeoutMs`. The child is always stopped before this settles.
 */
export async function askTrainingProcess<T>(
  extensionUri: vscode.Uri,
  request: object,
  read: (message: unknown) => ReplyReading<T>,
  timeoutMs: number,
): Promise<T> {
  const child = forkTrainingProcess(extensionUri);
  const stderrTail = captureStderrTail(child);
  let timer: NodeJS.Timeout | undefined;
  const answer = new Promise<T>((resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(vscode.l10n.t('The training process did not answer within {0} s.', timeoutMs / 1000)),
        ),
      timeoutMs,
    );
    child.on('message', (message: unknown) => {
      const reading = read(message);
      if (reading && 'answer' in reading) resolve(reading.answer);
      else if (reading) reject(new Error(reading.failure));
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const lastWords = stderrTail();
      reject(
        new Error(
          vscode.l10n.t(
            'The training process exited ({0}) before reporting.',
            signal ?? vscode.l10n.t('code {0}', String(code)),
          ) + (lastWords ? ' ' + vscode.l10n.t('Its last output: {0}', lastWords) : ''),
        ),
      );
    });
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
