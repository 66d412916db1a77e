/**
 * The training loop, shared by the training process (events go over IPC to
 * the host) and the CLI (events go straight to a RunRecorder). Plain Node.
 *
 * Per run (prepared and validated by prepareRun): load the data, compile the
 * model, optionally restore the last checkpoint of an earlier run, then
 * epochs × batches (seeded shuffling per epoch) in chunks of fused steps. A
 * chunk ends early at every step where something else is due (validation,
 * checkpoint, attention probe, step limit), and a stop request is honoured
 * between chunks. A chunk that ends at a step whose training dynamics are
 * recorded runs through the engine's dynamics graph (same updates, more
 * outputs). At the end: final checkpoint, test evaluation, model.onnx.
 * Every outcome, including errors, ends in exactly one finished / failed event.
 */
import * as l10n from '@vscode/l10n';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRng, type DataBatch, type Dataset } from '../data/api';
import type { CompileOptions, ExportOptions, TrainableModel } from '../engine/api';
import type { DeviceName } from '../contract/devices';
import { isOnnxModel, type Experiment } from '../contract/experiment';
import { headFor, importPlanFor } from '../data/importedModel';
import { resolveSource } from '../data/resolveSource';
import { importedModel } from '../engine/onnx';
import { readingEvents } from './readingProgress';
import type { StartTraining, TrainerEvent, TrainerOutcome } from '../protocol/training';
import { writeFileAtomic } from '../runs/atomicFile';
import { copyCheckpoint, loadCheckpoint, saveCheckpoint } from '../runs/checkpoints';
import { RUN_FILES, type TrainerPosition } from '../runs/runFiles';
import { copyTokenizerInto } from '../runs/runTokenizer';
import type { CheckpointKind } from '../contract/checkpointKind';
import { isFiniteDynamics, type StepDynamics } from '../contract/dynamicsRecord';
import type { EvalReport } from '../contract/evalReport';
import type { MetricRecord } from '../contract/metricRecord';
import { evaluateSplit, scoreValues } from './evaluation';
import type { Split } from '../contract/runStatus';
import { defaultMode, MetricMonitor, monitoredMetricName } from './metricMonitor';
import { attentionSnapshot, encodeProbe, type Probe } from './probe';
import { restoreCheckpoint } from './restoreCheckpoint';
import { learningRateAt } from './schedules';
import type { StepPace } from './stepPacing';
import { generateText } from './textSample';
import type { TrainerDeps } from './trainerDeps';

export interface TrainerHooks {
  emit(event: TrainerEvent): void;
  /** Polled between chunks of fused steps. */
  stopRequested(): boolean;
  /** Why a stop was requested, when not by the user: "because no Model Lab window came back within 60 s". */
  stopCause?(): string | undefined;
  /** Awaited after each chunk, before the stop check: the tests' step pacing (stepPacing.ts). */
  paceSteps?: StepPace;
}

/** What the engine compiles for an experiment on its dataset (shared with the attention probe). */
export function compileOptionsFor(
  experiment: Experiment,
  dataset: Dataset,
  device: DeviceName,
  experimentDir: string,
): CompileOptions {
  const { training, model } = experiment;
  return {
    model: isOnnxModel(model)
      ? importedModel(importPlanFor(model, experimentDir, headFor(experiment, dataset.outputShape)))
      : { inputShape: dataset.inputShape, inputKind: dataset.inputKind, layers: model.layers },
    loss: training.loss,
    labelSmoothing: training.labelSmoothing,
    optimizer: training.optimizer,
    clipNorm: training.clipNorm,
    batchSize: training.batchSize,
    fusedSteps: training.fusedSteps,
    seed: training.seed,
    device,
  };
}

/** Characters generated for the language-model sample in eval.json. */
const SAMPLE_LENGTH = 300;

/** Each epoch shuffles with its own seed, so a resumed run replays the same batch order. */
export function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed + 1, 0x9e3779b1) + epoch) >>> 0;
}

/** Lets IPC messages (a stop request) in: the runtime keeps the event loop busy during a step. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A readable one-liner of an error, in `file:line: message` form when it knows its place. */
export function describeError(error: unknown): string {
  const withFormat = error as { format?: () => string } | null;
  if (error instanceof Error && typeof withFormat?.format === 'function') return withFormat.format();
  return error instanceof Error ? error.message : String(error);
}

export async function runTraining(
  request: StartTraining,
  deps: TrainerDeps,
  hooks: TrainerHooks,
): Promise<TrainerOutcome> {
  let session: TrainingSession | undefined;
  let outcome: TrainerOutcome;
  try {
    // Validated by prepareRun; the file itself may have changed since and is not read again.
    const experiment = request.experiment;
    const experimentDir = dirname(request.experimentFile);
    const dataset = await deps.loadDataset(experiment, experimentDir, {
      threads: request.threads,
      reading: readingEvents(hooks.emit),
    });
    const model = await deps.compileModel({
      ...compileOptionsFor(experiment, dataset, request.device, experimentDir),
      threads: request.threads,
      spinWait: request.spinWait,
    });
    session = new TrainingSession(request, experiment, dataset, model, hooks);
    outcome = await session.run();
  } catch (error) {
    const lastCheckpoint = session?.lastCheckpointStep;
    const kept =
      session === undefined
        ? ''
        : lastCheckpoint === undefined
          ? ' ' + l10n.t('No checkpoint had been saved yet.')
          : ' ' + l10n.t('The last checkpoint (step {0}) is kept; resume continues from it.', lastCheckpoint);
    outcome = {
      type: 'failed',
      error: asSentence(describeError(error)) + kept,
      detail: error instanceof Error ? error.stack : undefined,
    };
  } finally {
    await session?.dispose();
  }
  hooks.emit(outcome);
  return outcome;
}

class TrainingSession {
  private readonly training: Experiment['training'];
  private readonly monitor: MetricMonitor;
  private readonly monitoredName: string;
  private readonly stepsPerEpoch: number;
  private readonly totalSteps: number;
  private readonly probe: Probe | undefined;
  private position: TrainerPosition = {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    validationsWithoutImprovement: 0,
  };
  /** Seconds of training before this process (resumed runs continue the clock). */
  private timeOffset = 0;
  private readonly startedAt = performance.now();
  private lastValidatedStep = -1;
  private lastSnapshotStep = -1;
  /** The first non-finite training loss, for the failure message. */
  private badLoss = NaN;
  lastCheckpointStep: number | undefined;

  constructor(
    private readonly request: StartTraining,
    private readonly experiment: Experiment,
    private readonly dataset: Dataset,
    private readonly model: TrainableModel,
    private readonly hooks: TrainerHooks,
  ) {
    this.training = experiment.training;
    const early = this.training.earlyStopping;
    this.monitoredName = monitoredMetricName(early?.metric ?? 'loss');
    this.monitor = new MetricMonitor(early?.mode ?? defaultMode(this.monitoredName), early?.patience);
    const batchesInTrain = Math.floor(dataset.sizes.train / this.training.batchSize);
    this.stepsPerEpoch =
      experiment.task === 'language-model' && this.training.stepsPerEpoch !== undefined
        ? this.training.stepsPerEpoch
        : batchesInTrain;
    if (this.stepsPerEpoch < 1) {
      throw new Error(
        l10n.t(
          'The training split holds {0} examples, fewer than one batch of {1}: lower training.batchSize or give training a larger share in data.splits.',
          dataset.sizes.train,
          this.training.batchSize,
        ),
      );
    }
    this.totalSteps = Math.min(this.training.epochs * this.stepsPerEpoch, request.maxSteps ?? Infinity);
    const vocab = dataset.vocab;
    this.probe =
      experiment.probe && vocab
        ? encodeProbe(experiment.probe.text, vocab, dataset.inputShape[0])
        : undefined;
  }

  async run(): Promise<TrainerOutcome> {
    if (this.request.resumeFrom) await this.restore(this.request.resumeFrom);
    this.hooks.emit({
      type: 'started',
      device: this.model.device,
      parameterCount: this.model.parameterCount,
      epochs: this.training.epochs,
      stepsPerEpoch: this.stepsPerEpoch,
      totalSteps: this.totalSteps,
      startStep: this.position.step,
      batchSize: this.training.batchSize,
    });
    if (this.model.device.requested !== this.model.device.chosen && this.model.device.requested !== 'auto') {
      this.log(
        'warning',
        l10n.t('Device {0} is not available: {1}', this.model.device.requested, this.model.device.message),
      );
    }
    for (const note of this.dataset.notes ?? []) this.log('info', note);
    const stopped = await this.trainEpochs();
    if (stopped === 'nan') return this.nanFailure();
    if (stopped === 'user') {
      await this.saveCheckpoint('last');
      await this.exportModel();
      return this.finish(
        'stopped',
        l10n.t(
          'Stopped at step {0} {1}; the last checkpoint is saved.',
          this.position.step,
          this.hooks.stopCause?.() ?? l10n.t('on request'),
        ),
      );
    }
    // The run ends here whatever this validation says; it feeds the best checkpoint and the charts.
    if (this.lastValidatedStep !== this.position.step) await this.validate();
    await this.saveCheckpoint('last');
    if (this.probe) await this.snapshotAttention();
    await this.useBestWeights();
    await this.evaluateTest();
    await this.exportModel();
    return this.finish(
      'completed',
      stopped === 'early'
        ? l10n.t(
            'Early stopping at step {0}: validation {1} did not improve in {2} validations.',
            this.position.step,
            this.monitoredName,
            String(this.training.earlyStopping?.patience),
          )
        : l10n.t('Training finished after {0} steps.', this.position.step),
    );
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }

  /** Runs until the step budget is spent; says why it stopped early, if it did. */
  private async trainEpochs(): Promise<'user' | 'nan' | 'early' | undefined> {
    for (
      ;
      this.position.epoch < this.training.epochs;
      this.position.epoch++, this.position.batchInEpoch = 0
    ) {
      const rng = createRng(epochSeed(this.training.seed, this.position.epoch));
      const epochBatches = this.dataset.batches('train', this.training.batchSize, rng, {
        maxBatches: this.training.stepsPerEpoch,
        shuffle: this.experiment.data.shuffle !== false,
      });
      const batches = epochBatches[Symbol.iterator]();
      for (let skipped = 0; skipped < this.position.batchInEpoch; skipped++) batches.next();
      while (this.position.step < this.totalSteps && this.position.batchInEpoch < this.stepsPerEpoch) {
        const chunk = takeBatches(batches, this.chunkLength());
        if (chunk.length === 0) break;
        if (!(await this.trainChunk(chunk))) return 'nan';
        await yieldToEventLoop();
        await this.hooks.paceSteps?.(chunk.length);
        if (this.hooks.stopRequested()) return 'user';
        if ((await this.afterStep()) === 'early-stop') return 'early';
      }
      if (this.position.batchInEpoch >= this.stepsPerEpoch) {
        if (this.training.validateEverySteps === undefined && (await this.validate()) === 'early-stop')
          return 'early';
        if (this.training.checkpoint?.everySteps === undefined) await this.saveCheckpoint('last');
        this.log('info', this.epochSummary());
      }
      if (this.position.step >= this.totalSteps) return undefined;
    }
    return undefined;
  }

  /**
   * Steps until the next step where validation, checkpoint, probe, recorded dynamics or the
   * limit is due, capped by fusion.
   */
  private chunkLength(): number {
    const step = this.position.step;
    const untilMultiple = (every: number | undefined): number =>
      every && every > 0 ? every - (step % every) : Infinity;
    return Math.min(
      untilMultiple(this.training.dynamics?.everySteps),
      Math.max(1, this.training.fusedSteps ?? 1),
      this.totalSteps - step,
      this.stepsPerEpoch - this.position.batchInEpoch,
      untilMultiple(this.training.validateEverySteps),
      untilMultiple(this.training.checkpoint?.everySteps),
      this.probe ? untilMultiple(this.experiment.probe?.everySteps) : Infinity,
    );
  }

  /** Trains one chunk and records its metrics; false when a loss was NaN or infinite. */
  private async trainChunk(chunk: DataBatch[]): Promise<boolean> {
    const first = this.position.step;
    const rates = chunk.map((_, i) =>
      learningRateAt(
        this.training.optimizer.learningRate,
        this.training.schedule,
        first + i,
        this.totalSteps,
      ),
    );
    const began = performance.now();
    const every = this.training.dynamics?.everySteps;
    // chunkLength ends a chunk at every recorded step: the chunk's last step is the one.
    const recorded =
      every && (first + chunk.length) % every === 0
        ? await this.model.trainWithDynamics(chunk, rates)
        : undefined;
    const losses = recorded ? recorded.losses : await this.model.train(chunk, rates);
    const seconds = (performance.now() - began) / 1000;
    const firstBad = losses.findIndex((loss) => !Number.isFinite(loss));
    const good = firstBad < 0 ? losses.length : firstBad;
    const records: MetricRecord[] = [];
    for (let i = 0; i < good; i++) {
      this.position.step = first + i + 1;
      this.position.batchInEpoch++;
      records.push(this.record('train', 'loss', losses[i]));
    }
    if (good > 0) {
      records.push(this.record('train', 'lr', rates[good - 1]));
      // A recorded chunk does more than train: its pace is not the run's throughput.
      if (firstBad < 0 && !recorded)
        records.push(
          this.record('train', 'samples_per_sec', (chunk.length * this.training.batchSize) / seconds),
        );
      this.hooks.emit({ type: 'metrics', records });
    }
    if (recorded && firstBad < 0) this.emitDynamics(recorded.dynamics);
    if (firstBad >= 0) {
      this.position.step = first + firstBad + 1;
      this.badLoss = losses[firstBad];
      return false;
    }
    return true;
  }

  private async afterStep(): Promise<'early-stop' | undefined> {
    const step = this.position.step;
    const due = (every: number | undefined): boolean =>
      every !== undefined && every > 0 && step % every === 0;
    const verdict = due(this.training.validateEverySteps) ? await this.validate() : undefined;
    if (due(this.training.checkpoint?.everySteps)) await this.saveCheckpoint('last');
    if (this.probe && due(this.experiment.probe?.everySteps)) await this.snapshotAttention();
    return verdict;
  }

  private emitDynamics(dynamics: StepDynamics): void {
    if (!isFiniteDynamics(dynamics)) {
      this.log(
        'warning',
        l10n.t('Gradients or weights are not finite at step {0}: no dynamics recorded.', this.position.step),
      );
      return;
    }
    const record = {
      step: this.position.step,
      epoch: this.epochProgress(),
      time: this.elapsed(),
      ...dynamics,
    };
    this.hooks.emit({ type: 'dynamics', record });
  }

  /** Scores the validation split, keeps the best checkpoint, and says whether early stopping fires. */
  private async validate(): Promise<'early-stop' | undefined> {
    this.lastValidatedStep = this.position.step;
    if (this.dataset.sizes.validation === 0) return undefined;
    const scores = await evaluateSplit(this.model, this.dataset, this.experiment, 'validation');
    const values = scoreValues(scores, this.experiment);
    this.emitScores('validation', values);
    if (values.accuracy !== undefined) await this.scoreTrainAccuracy();
    const monitored = values[this.monitoredName];
    if (monitored === undefined || !Number.isFinite(monitored)) return undefined;
    const { improved, shouldStop } = this.monitor.observe(monitored, this.position.step);
    this.position.best = this.monitor.state.best;
    this.position.validationsWithoutImprovement = this.monitor.state.validationsWithoutImprovement;
    if (improved) await this.saveCheckpoint('best');
    return shouldStop ? 'early-stop' : undefined;
  }

  /**
   * Train accuracy next to validation accuracy: the same weights scored in
   * eval mode on as many training examples as the validation split holds, so
   * the two curves compare like for like (a gap is overfitting, not dropout)
   * and the cost is one more validation.
   */
  private async scoreTrainAccuracy(): Promise<void> {
    const sample = this.dataset.sizes.validation;
    const scores = await evaluateSplit(this.model, this.dataset, this.experiment, 'train', sample);
    const accuracy = scores.classification?.accuracy;
    if (accuracy !== undefined) this.emitScores('train', { accuracy });
  }

  private async saveCheckpoint(kind: CheckpointKind): Promise<void> {
    const state = await this.model.getState();
    // A checkpoint taken at the end of an epoch resumes at the start of the next one.
    const position =
      this.position.batchInEpoch >= this.stepsPerEpoch
        ? { ...this.position, epoch: this.position.epoch + 1, batchInEpoch: 0, time: this.elapsed() }
        : { ...this.position, time: this.elapsed() };
    const dir = saveCheckpoint(this.request.runDir, kind, { state, position });
    if (kind === 'last') this.lastCheckpointStep = this.position.step;
    this.hooks.emit({ type: 'checkpoint', kind, step: this.position.step, dir });
  }

  private async restore(runDir: string): Promise<void> {
    let checkpoint;
    try {
      checkpoint = loadCheckpoint(runDir, 'last');
      await restoreCheckpoint(this.model, runDir, 'last', checkpoint);
    } catch (error) {
      throw new Error(l10n.t('Cannot resume from {0}: {1}', runDir, describeError(error)));
    }
    const { position } = checkpoint;
    this.position = { ...position };
    this.timeOffset = position.time ?? 0;
    this.monitor.restore({
      best: position.best,
      validationsWithoutImprovement: position.validationsWithoutImprovement,
    });
    copyCheckpoint(runDir, this.request.runDir, 'best');
    this.lastCheckpointStep = position.step;
    this.log(
      'info',
      l10n.t('Resuming from {0} at step {1} (epoch {2}).', runDir, position.step, position.epoch + 1),
    );
  }

  /** Evaluates and exports the best validated weights rather than the last ones, when they differ. */
  private async useBestWeights(): Promise<void> {
    const best = this.position.best;
    if (best === undefined || best.step === this.position.step) return;
    try {
      const { runDir } = this.request;
      await restoreCheckpoint(this.model, runDir, 'best', loadCheckpoint(runDir, 'best'));
    } catch (error) {
      this.log('warning', l10n.t('Keeping the last weights: {0}', describeError(error)));
      return;
    }
    this.log(
      'info',
      l10n.t(
        'Evaluating and exporting the best model: step {0}, validation {1} {2}.',
        best.step,
        this.monitoredName,
        formatNumber(best.value),
      ),
    );
  }

  private async evaluateTest(): Promise<void> {
    if (this.dataset.sizes.test === 0) {
      this.log('info', l10n.t('No test split (data.splits.test is 0): skipping the test evaluation.'));
      return;
    }
    const scores = await evaluateSplit(this.model, this.dataset, this.experiment, 'test');
    const report: EvalReport = { split: 'test', count: scores.count, loss: scores.loss };
    const classification = scores.classification;
    if (classification) report.accuracy = classification.accuracy;
    if (classification && this.experiment.task === 'classification') {
      report.classes = classification.classes;
      report.confusion = classification.confusion;
      report.mistakes = scores.mistakes;
    }
    if (scores.perplexity !== undefined) report.perplexity = scores.perplexity;
    if (scores.regression) {
      const { mae, rmse, r2, predictions } = scores.regression;
      const regression: Partial<EvalReport> = { mae, rmse, r2, units: 'data', predictions };
      Object.assign(report, regression);
    }
    if (this.experiment.task === 'language-model' && this.dataset.vocab) {
      const prompt = firstExample(this.dataset);
      if (prompt) {
        report.sample = await generateText(
          this.model,
          this.dataset.vocab,
          prompt,
          SAMPLE_LENGTH,
          createRng(this.training.seed),
        );
      }
    }
    const values = scoreValues(scores, this.experiment);
    this.emitScores('test', values);
    this.hooks.emit({ type: 'eval', report });
    const parts = Object.entries(values).map(([name, value]) => `${name} ${formatNumber(value)}`);
    this.log('info', l10n.t('Test ({0} examples): {1}.', scores.count, parts.join(', ')));
  }

  private async exportModel(): Promise<void> {
    const { runDir, experimentFile } = this.request;
    const path = join(runDir, RUN_FILES.model);
    writeFileAtomic(path, await this.model.exportOnnx(exportOptionsFor(this.dataset)), runDir);
    // A model of texts keeps its tokenizer beside it, as save_pretrained does: the run's
    // model.onnx then reads texts as it was trained (the .onnx view, Evaluate on data…).
    const { tokenizer } = this.experiment.data;
    if (tokenizer) copyTokenizerInto(runDir, resolveSource(tokenizer, dirname(experimentFile)));
    this.hooks.emit({ type: 'model', path });
  }

  private async snapshotAttention(): Promise<void> {
    if (!this.probe || this.lastSnapshotStep === this.position.step) return;
    this.lastSnapshotStep = this.position.step;
    try {
      const snapshot = await attentionSnapshot(this.model, this.probe, this.position.step);
      if (snapshot.layers.length > 0) this.hooks.emit({ type: 'attention', snapshot });
    } catch (error) {
      // A failing probe must not end the training it only illustrates.
      this.log(
        'warning',
        l10n.t('Attention snapshot at step {0} failed: {1}', this.position.step, describeError(error)),
      );
    }
  }

  private nanFailure(): TrainerOutcome {
    const kept =
      this.lastCheckpointStep === undefined
        ? l10n.t('No checkpoint had been saved yet.')
        : l10n.t('The last good checkpoint (step {0}) is kept.', this.lastCheckpointStep);
    return {
      type: 'failed',
      error: l10n.t(
        'The training loss became {0} at step {1}; training stopped. {2} Try a lower training.optimizer.learningRate or set training.clipNorm.',
        String(this.badLoss),
        this.position.step,
        kept,
      ),
    };
  }

  private finish(status: 'completed' | 'stopped', reason: string): TrainerOutcome {
    return { type: 'finished', status, reason, step: this.position.step, epoch: this.epochProgress() };
  }

  private epochSummary(): string {
    return l10n.t(
      'Epoch {0}/{1} done at step {2}.',
      this.position.epoch + 1,
      this.training.epochs,
      this.position.step,
    );
  }

  /** Epochs completed, fractional: 1.5 is halfway through the second epoch. */
  private epochProgress(): number {
    return this.position.epoch + this.position.batchInEpoch / this.stepsPerEpoch;
  }

  private elapsed(): number {
    return this.timeOffset + (performance.now() - this.startedAt) / 1000;
  }

  /** Metric records of one evaluation; a non-finite score is logged instead (JSON cannot hold it). */
  private emitScores(split: Split, values: Record<string, number>): void {
    const entries = Object.entries(values);
    const finite = entries.filter(([, value]) => Number.isFinite(value));
    for (const [name, value] of entries) {
      if (!Number.isFinite(value))
        this.log(
          'warning',
          l10n.t('The {0} {1} is {2} at step {3}.', split, name, String(value), this.position.step),
        );
    }
    this.hooks.emit({
      type: 'metrics',
      records: finite.map(([name, value]) => this.record(split, name, value)),
    });
  }

  private record(split: MetricRecord['split'], name: string, value: number): MetricRecord {
    return {
      step: this.position.step,
      epoch: this.epochProgress(),
      time: this.elapsed(),
      split,
      name,
      value,
    };
  }

  private log(level: 'info' | 'warning', message: string): void {
    this.hooks.emit({ type: 'log', level, message });
  }
}

/** model.onnx takes the data as it is in the file: the loader's scalings move into the graph. */
export function exportOptionsFor(dataset: Dataset): ExportOptions {
  const axis = (scalings: { shift: number; scale: number }[]) => ({
    shift: scalings.map((s) => s.shift),
    scale: scalings.map((s) => s.scale),
  });
  // Only when the scaled axis is still the input's last one (a reshaped input would scale the wrong values).
  const scalesLastAxis = dataset.inputScaling?.length === dataset.inputShape.at(-1);
  return {
    inputScaling: scalesLastAxis ? axis(dataset.inputScaling!) : undefined,
    outputScaling: dataset.targetScaling && axis([dataset.targetScaling]),
    inputEncoding: dataset.inputEncoding,
    // Scores one per class (not bce-with-logits' one logit for two classes).
    classes: dataset.classes?.length === dataset.outputShape[0] ? dataset.classes : undefined,
  };
}

/**
 * The next chunk's batches, made between chunks rather than while the previous one trains:
 * onnxruntime-node's session.run holds the JS thread for the whole run (its binding runs
 * synchronously, only deferred by setImmediate), so only a worker thread could overlap them, for a
 * message round trip as costly as the work and on cores the intra-op threads already use. Measured
 * per step (median, the templates' data): 34 µs against a 2.5 ms cnn-digits step, 51 µs against a
 * 55 ms Transformer step, 9 µs against a 0.26 ms mlp-wine step.
 */
function takeBatches(iterator: Iterator<DataBatch>, count: number): DataBatch[] {
  const batches: DataBatch[] = [];
  while (batches.length < count) {
    const next = iterator.next();
    if (next.done) break;
    batches.push(next.value);
  }
  return batches;
}

/** The first test window of a language model, as the prompt of the generated sample. */
function firstExample(dataset: Dataset): BigInt64Array | undefined {
  for (const batch of dataset.batches('test', 1, createRng(0))) {
    return (batch.x as BigInt64Array).slice(0, dataset.inputShape[0]);
  }
  return undefined;
}

function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
