// Run folders written the way the trainer writes them, for UI specs that need a
// run in a known state (live and growing, finished with an evaluation, with
// attention snapshots) without waiting for training.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttentionSnapshot } from '../../../src/contract/attentionSnapshot';
import type { EvalReport } from '../../../src/contract/evalReport';
import type { MetricRecord } from '../../../src/contract/metricRecord';
import type { RunInfo } from '../../../src/runs/runFiles';
import type { RunStatus } from '../../../src/contract/runStatus';
import { experimentFixture, runInfoFixture } from '../../fixtures/runInfo';

export function createRunFolder(
  workspace: string,
  experiment: string,
  id: string,
  status: RunStatus,
  layers: RunInfo['config']['model']['layers'] = [{ type: 'dense', units: 3 }],
): string {
  const dir = join(workspace, '.modellab', 'runs', experiment, id);
  mkdirSync(dir, { recursive: true });
  const config = experimentFixture({ name: experiment });
  config.model.layers = layers;
  const info: RunInfo = {
    ...runInfoFixture({ experiment, config }),
    id,
    status,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(info, null, 2));
  return dir;
}

/** Metric records of training steps [from, to): train loss and accuracy, learning rate, validation every 10 steps. */
export function trainingRecords(from: number, to: number): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (let step = from; step < to; step++) {
    const base = { step, epoch: Math.floor(step / 20), time: step * 0.25 };
    records.push({
      ...base,
      split: 'train',
      name: 'loss',
      value: 2 * Math.exp(-step / 15) + 0.05 * Math.sin(step) + 0.1,
    });
    records.push({ ...base, split: 'train', name: 'accuracy', value: 1 - Math.exp(-step / 12) * 0.9 });
    records.push({ ...base, split: 'train', name: 'lr', value: 0.01 * Math.min(1, (step + 1) / 10) });
    if (step % 10 === 9) {
      records.push({ ...base, split: 'validation', name: 'loss', value: 2 * Math.exp(-step / 18) + 0.15 });
      records.push({ ...base, split: 'validation', name: 'accuracy', value: 1 - Math.exp(-step / 14) * 0.9 });
    }
  }
  return records;
}

export function appendMetrics(runDir: string, text: string): void {
  appendFileSync(join(runDir, 'metrics.jsonl'), text);
}

export const jsonLines = (records: MetricRecord[]) => records.map((r) => JSON.stringify(r) + '\n').join('');

export function writeEval(runDir: string, labels: string[]): EvalReport {
  const confusion = labels.map((_, t) => labels.map((__, p) => (t === p ? 40 + 3 * t : (t * 7 + p * 3) % 5)));
  const classes = labels.map((label, i) => {
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[i], 0);
    const precision = confusion[i][i] / predicted;
    const recall = confusion[i][i] / support;
    return { label, precision, recall, f1: (2 * precision * recall) / (precision + recall), support };
  });
  const count = classes.reduce((sum, c) => sum + c.support, 0);
  const correct = labels.reduce((sum, _, i) => sum + confusion[i][i], 0);
  const report: EvalReport = {
    split: 'test',
    count,
    loss: 0.21,
    accuracy: correct / count,
    classes,
    confusion,
  };
  writeFileSync(join(runDir, 'eval.json'), JSON.stringify(report, null, 2));
  return report;
}

/**
 * A regression evaluation of `pairs` test examples: a noisy sine forecast with
 * its scores computed the plain way, so a spec can compare the view to them.
 */
export function writeRegressionEval(runDir: string, pairs: number): EvalReport {
  const actual = Array.from({ length: pairs }, (_, i) => 20 + 5 * Math.sin(i / 9));
  const predicted = actual.map((y, i) => y + 0.8 * Math.sin(i * 2.3));
  const errors = actual.map((y, i) => predicted[i] - y);
  const mean = actual.reduce((a, b) => a + b, 0) / pairs;
  const ssRes = errors.reduce((sum, e) => sum + e * e, 0);
  const report: EvalReport = {
    split: 'test',
    count: pairs,
    loss: 0.035,
    mae: errors.reduce((sum, e) => sum + Math.abs(e), 0) / pairs,
    rmse: Math.sqrt(ssRes / pairs),
    r2: 1 - ssRes / actual.reduce((sum, y) => sum + (y - mean) ** 2, 0),
    units: 'data',
    predictions: { actual, predicted },
  };
  writeFileSync(join(runDir, 'eval.json'), JSON.stringify(report, null, 2));
  return report;
}

/**
 * A causal attention snapshot of `text` (one character per token): each query
 * attends mostly to itself and the previous character, sharpening with `step`.
 */
export function writeAttentionSnapshot(
  runDir: string,
  text: string,
  step: number,
  layers: number,
  heads: number,
): AttentionSnapshot {
  const tokens = [...text];
  const t = tokens.length;
  const snapshot: AttentionSnapshot = { step, tokens, layers: [] };
  for (let layer = 0; layer < layers; layer++) {
    const probs: number[] = [];
    for (let head = 0; head < heads; head++) {
      for (let q = 0; q < t; q++) {
        const weights = tokens.map((_, k) =>
          k > q ? 0 : Math.exp(-((q - k - (head % 3)) ** 2) * (0.2 + step / 100) - layer * 0.1 * k),
        );
        const sum = weights.reduce((a, b) => a + b, 0);
        probs.push(...weights.map((w) => w / sum));
      }
    }
    snapshot.layers.push({ layer, heads, length: t, probs });
  }
  mkdirSync(join(runDir, 'attention'), { recursive: true });
  writeFileSync(join(runDir, 'attention', `${step}.json`), JSON.stringify(snapshot));
  return snapshot;
}
