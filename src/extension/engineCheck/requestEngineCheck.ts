import type * as vscode from 'vscode';
import {
  type EngineCheckReport,
  type EngineCheckRequest,
  isEngineCheckReply,
} from '../../protocol/engineCheck';
import { askTrainingProcess, reportOrFailure } from '../trainingProcess/askTrainingProcess';

/** Loading onnxruntime and running a 2×3 graph takes well under a second; this only bounds a hang. */
const engineCheckTimeoutMs = 30_000;

/**
 * Forks a training process, asks it to run the engine check, and resolves with its
 * report; rejects with a message that says what went wrong (askTrainingProcess).
 */
export function requestEngineCheck(extensionUri: vscode.Uri): Promise<EngineCheckReport> {
  const request: EngineCheckRequest = { type: 'engineCheck/run' };
  return askTrainingProcess(extensionUri, request, reportOrFailure(isEngineCheckReply), engineCheckTimeoutMs);
}
