/**
 * Evaluation of a split in eval mode: mean loss, plus the scores the task
 * calls for (classification: accuracy, macro F1, per-class report and
 * confusion; regression: MAE, RMSE, R² and a sample of predictions, in the
 * data's units; language models: perplexity = e^loss).
 */
import type { TrainableModel } from '../engine/api';
import type { DataBatch, Dataset } from '../data/api';
import type { Split } from '../contract/runStatus';
import { createRng } from '../data/api';
import type { Experiment } from '../contract/experiment';
import { MAX_MISTAKES, type Mistake } from '../contract/evalReport';
import { argmaxRows, scoreClassification, type ClassificationScores } from './classification';
import { MistakeCollector } from './mistakes';
import { RegressionScorer, type RegressionScores } from './regression';

export interface SplitScores {
  count: number;
  loss: number;
  perplexity?: number;
  regression?: RegressionScores;
  classification?: ClassificationScores;
  /** Classifiers' test split: the wrong examples, most confident first (the mistakes gallery). */
  mistakes?: Mistake[];
}

/** Validation and test splits are read in order, so the generator's seed does not matter. */
const ORDERED = 0;

/** Predicted class ids of one batch: argmax over classes, or logit > 0 for a single bce output. */
function predictedClasses(outputs: Float32Array, width: number): Int32Array {
  return width === 1 ? Int32Array.from(outputs, (logit) => (logit > 0 ? 1 : 0)) : argmaxRows(outputs, width);
}

function trueClasses(batch: DataBatch): number[] {
  return Array.from(batch.y as ArrayLike<number | bigint>, (value) => Number(value));
}

/** Undoes the loader's target scaling (series), so errors read in the data's own units. */
function dataUnits(dataset: Dataset): (values: Float32Array) => ArrayLike<number> {
  const scaling = dataset.targetScaling;
  if (!scaling) return (values) => values;
  return (values) => Float64Array.from(values, (v) => v * scaling.scale + scaling.shift);
}

export async function evaluateSplit(
  model: TrainableModel,
  dataset: Dataset,
  experiment: Experiment,
  split: Split,
  /** Stop after the batch that reaches this many examples (a sample of a large split). */
  limit = Infinity,
): Promise<SplitScores> {
  const task = experiment.task;
  const wantsClasses = task === 'classification' || experiment.metrics?.includes('accuracy') === true;
  const width = model.outputShape[model.outputShape.length - 1];
  let count = 0;
  let lossSum = 0;
  const regression = task === 'regression' ? new RegressionScorer(dataset.sizes[split] * width) : undefined;
  const toDataUnits = dataUnits(dataset);
  const predicted: number[] = [];
  const actual: number[] = [];
  const mistakes =
    split === 'test' && task === 'classification' ? new MistakeCollector(dataset, MAX_MISTAKES) : undefined;
  for (const batch of dataset.batches(split, experiment.training.batchSize, createRng(ORDERED))) {
    lossSum += (await model.evaluateLoss(batch, batch.count)) * batch.count;
    count += batch.count;
    if (regression) {
      const outputs = await model.predict(batch.x, batch.count);
      regression.add(toDataUnits(batch.y as Float32Array), toDataUnits(outputs));
    } else if (wantsClasses) {
      const outputs = await model.predict(batch.x, batch.count);
      const truth = trueClasses(batch);
      predicted.push(...predictedClasses(outputs, width));
      actual.push(...truth);
      mistakes?.add(batch.x, outputs, width, truth);
    }
    if (count >= limit) break;
  }
  const loss = count === 0 ? NaN : lossSum / count;
  const scores: SplitScores = { count, loss };
  if (task === 'language-model') scores.perplexity = Math.exp(loss);
  if (regression) scores.regression = regression.scores();
  if (wantsClasses && count > 0) {
    const labels =
      dataset.classes ??
      dataset.vocab?.tokens ??
      Array.from({ length: Math.max(width, 2) }, (_, i) => String(i));
    scores.classification = scoreClassification(predicted, actual, labels);
    if (mistakes) scores.mistakes = mistakes.mistakes();
  }
  return scores;
}

/** The scores as metric name → value, as they go into metrics.jsonl. */
export function scoreValues(scores: SplitScores, experiment: Experiment): Record<string, number> {
  const values: Record<string, number> = { loss: scores.loss };
  if (scores.classification) {
    values.accuracy = scores.classification.accuracy;
    if (experiment.metrics?.includes('f1')) values.f1 = scores.classification.macroF1;
  }
  if (scores.perplexity !== undefined) values.perplexity = scores.perplexity;
  if (scores.regression) {
    values.mae = scores.regression.mae;
    values.rmse = scores.regression.rmse;
    values.r2 = scores.regression.r2;
  }
  return values;
}
