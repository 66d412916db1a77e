/**
 * The summary of a run's model for the metrics panel's Model tab, from the experiment saved in
 * its run.json (the model as it was trained, not the file as edited since); an imported
 * model's ONNX file is read beside the experiment file the run came from, and its data too when
 * the model's new last layer takes the data's size.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { summarizeWithData } from '../../experiment/modelSummary';
import { DataError } from '../../data/dataError';
import type { ModelSummaryMessage } from '../../protocol/metricsPanel';
import { readRunInfo } from '../../runs/runReader';

export async function runModelSummary(runDir: string): Promise<ModelSummaryMessage> {
  const info = readRunInfo(runDir);
  if (!info?.config)
    return {
      type: 'modelSummary',
      runDir,
      summary: null,
      message: vscode.l10n.t(
        'This run folder has no Model Lab experiment in run.json, so there is no model to summarize.',
      ),
    };
  try {
    return {
      type: 'modelSummary',
      runDir,
      summary: await summarizeWithData(info.config, dirname(info.experimentFile)),
    };
  } catch (error) {
    return {
      type: 'modelSummary',
      runDir,
      summary: null,
      message: vscode.l10n.t(
        'The model of this run cannot be summarized: {0}',
        error instanceof DataError ? error.format() : error instanceof Error ? error.message : String(error),
      ),
    };
  }
}
