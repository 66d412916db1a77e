/**
 * A compiled model at run time. Parameters and optimizer state live as onnxruntime tensors:
 * each train call feeds them in and keeps the `__next` outputs for the next call (inside a
 * fused Loop call they never leave the runtime). Sessions other than the single train step
 * (fused steps, eval, attention probe) are created on first use.
 */
import type {
  AttentionMaps,
  Batch,
  ExportOptions,
  FeatureMaps,
  RecurrentInside,
  TrainableModel,
  TrainingState,
} from '../api';
import type { DeviceReport } from '../../contract/devices';
import type { StepDynamics } from '../../contract/dynamicsRecord';
import { serializeModel } from '../graph/serialize';
import { Rng } from '../init';
import {
  buildEvalGraph,
  buildFeatureMapGraph,
  buildInsideGraph,
  buildExportGraph,
  buildFusedTrainGraph,
  buildProbeGraph,
  next,
  STEP,
  stateNames,
  stateShape,
  type ModelPlan,
} from '../model/graphs';
import { readDynamics } from '../model/dynamics';
import { joinSlot, savedTensor, splitSlot } from '../model/flatState';
import { exportImported } from '../onnx/exportImported';
import { exportDocString, exportMetadata } from './exportDoc';
import { MissingRunningStatisticsError } from './missingRunningStatistics';
import { forProviders } from './providerGraph';
import { checkBatch, stack } from './batches';
import { openSession, tensor, type ProviderName, type Session, type Tensor } from './session';

export class CompiledModel implements TrainableModel {
  readonly outputShape: number[];
  readonly parameterCount: number;
  private state = new Map<string, Tensor>();
  private stepCount = 0;
  private fused?: Session;
  private evalSession?: Session;
  /** Fused graphs with dynamics outputs, one per chunk length (created when first used). */
  private readonly dynamicsSessions = new Map<number, Session>();
  private readonly probes = new Map<number, Session>();
  private featureMapSession?: Session;
  private insideSession?: Session;

  constructor(
    private readonly plan: ModelPlan,
    private readonly trainSession: Session,
    private readonly providers: ProviderName[],
    readonly device: DeviceReport,
  ) {
    this.outputShape = plan.output.slice(1);
    this.parameterCount = plan.store.count;
    for (const name of stateNames(plan)) {
      const spec = [...plan.store.specs, ...plan.buffers].find((p) => p.name === name);
      const shape = stateShape(plan, name);
      const data = spec ? spec.data.slice() : new Float32Array(shape.reduce((a, b) => a * b, 1));
      this.state.set(name, tensor('float32', data, shape));
    }
  }

  private get batchSize(): number {
    return this.plan.input.shape[0];
  }

  private get fusedSteps(): number {
    return Math.max(1, Math.floor(this.plan.options.fusedSteps ?? 1));
  }

  /** Dropout key of a step: a function of the seed and the step only, so resumed runs match. */
  private keyFor(step: number): bigint {
    return BigInt(new Rng((this.plan.options.seed * 0x9e3779b1 + step * 0x85ebca6b) >>> 0).int31());
  }

  async train(batches: Batch[], learningRates: number[]): Promise<number[]> {
    if (batches.length !== learningRates.length)
      throw new Error(`train got ${batches.length} batches but ${learningRates.length} learning rates`);
    batches.forEach((batch, i) => checkBatch(this.plan, batch, this.batchSize, `batch ${i}`));
    const losses: number[] = [];
    const k = this.fusedSteps;
    let i = 0;
    while (i < batches.length) {
      if (k > 1 && batches.length - i >= k) {
        losses.push(...(await this.runFused(batches.slice(i, i + k), learningRates.slice(i, i + k))));
        i += k;
      } else {
        losses.push(await this.runSingle(batches[i], learningRates[i]));
        i += 1;
      }
    }
    return losses;
  }

  private stateFeeds(): Record<string, Tensor> {
    return Object.fromEntries(this.state);
  }

  private keepState(outputs: Record<string, Tensor>): void {
    for (const name of this.state.keys()) this.state.set(name, outputs[next(name)]);
  }

  private async runSingle(batch: Batch, lr: number): Promise<number> {
    const { input, target } = this.plan;
    const outputs = await this.trainSession.run({
      ...this.stateFeeds(),
      x: tensor(input.dtype, batch.x, input.shape),
      y: tensor(target.dtype, batch.y, target.shape),
      lr: tensor('float32', Float32Array.of(lr), []),
      dropout_key: tensor('int64', BigInt64Array.of(this.keyFor(this.stepCount)), []),
    });
    this.keepState(outputs);
    this.stepCount += 1;
    return (outputs.loss.data as Float32Array)[0];
  }

  async trainWithDynamics(
    batches: Batch[],
    learningRates: number[],
  ): Promise<{ losses: number[]; dynamics: StepDynamics }> {
    const k = batches.length;
    if (k < 1 || k !== learningRates.length)
      throw new Error(`trainWithDynamics got ${k} batches and ${learningRates.length} learning rates`);
    batches.forEach((batch, i) => checkBatch(this.plan, batch, this.batchSize, `batch ${i}`));
    let session = this.dynamicsSessions.get(k);
    if (!session) {
      session = await this.openFusedSession(k, true);
      this.dynamicsSessions.set(k, session);
    }
    const outputs = await this.runFusedSession(session, batches, learningRates);
    const names = this.plan.store.specs.map((p) => p.name);
    const weights = names.map((name) => this.state.get(name)!.data as Float32Array);
    return {
      losses: Array.from(outputs.losses.data as Float32Array),
      dynamics: readDynamics(names, outputs, weights),
    };
  }

  /** A session of `k` fused steps (with dynamics outputs if asked) for this model's providers. */
  private async openFusedSession(k: number, dynamics = false): Promise<Session> {
    const webgpu = this.providers[0] === 'webgpu';
    const graph = await forProviders(
      buildFusedTrainGraph(this.plan, k, { webgpu, dynamics }),
      this.providers,
    );
    return openSession(serializeModel(graph), this.providers, this.plan.options);
  }

  private async runFused(batches: Batch[], lrs: number[]): Promise<number[]> {
    this.fused ??= await this.openFusedSession(batches.length);
    const outputs = await this.runFusedSession(this.fused, batches, lrs);
    return Array.from(outputs.losses.data as Float32Array);
  }

  /** The steps of `batches` through a fused graph (with or without dynamics); keeps the new state. */
  private async runFusedSession(
    session: Session,
    batches: Batch[],
    lrs: number[],
  ): Promise<Record<string, Tensor>> {
    const k = batches.length;
    const { input, target } = this.plan;
    const keys = BigInt64Array.from(batches.map((_, i) => this.keyFor(this.stepCount + i)));
    const outputs = await session.run({
      ...this.stateFeeds(),
      xs: tensor(input.dtype, stack(batches.map((b) => b.x)), [k, ...input.shape]),
      ys: tensor(target.dtype, stack(batches.map((b) => b.y)), [k, ...target.shape]),
      lrs: tensor('float32', Float32Array.from(lrs), [k]),
      dropout_keys: tensor('int64', keys, [k]),
    });
    this.keepState(outputs);
    this.stepCount += k;
    return outputs;
  }

  /** Parameters and buffers: what the eval-mode graphs read. */
  private paramFeeds(): Record<string, Tensor> {
    return Object.fromEntries(
      [...this.plan.store.specs, ...this.plan.buffers].map((p) => [p.name, this.state.get(p.name)!]),
    );
  }

  /** Runs the eval graph over `count` examples in batches, padding the last one. */
  private async evalChunks(
    x: Float32Array | BigInt64Array,
    y: Float32Array | BigInt64Array | undefined,
    count: number,
  ) {
    this.evalSession ??= await openSession(
      serializeModel(await forProviders(buildEvalGraph(this.plan), this.providers)),
      this.providers,
      this.plan.options,
    );
    const { input, target } = this.plan;
    const [inSize, outSize, tSize] = [input, { shape: this.plan.output }, target].map((t) =>
      t.shape.slice(1).reduce((a, b) => a * b, 1),
    );
    if (x.length !== count * inSize)
      throw new Error(`expected ${count} examples of ${inSize} values, got ${x.length}`);
    const outputs = new Float32Array(count * outSize);
    const losses = new Float32Array(count);
    const B = this.batchSize;
    for (let start = 0; start < count; start += B) {
      const n = Math.min(B, count - start);
      const xb = padTo(x.subarray(start * inSize, (start + n) * inSize), B * inSize);
      const yb = y ? padTo(y.subarray(start * tSize, (start + n) * tSize), B * tSize) : undefined;
      const result = await this.evalSession.run({
        ...this.paramFeeds(),
        x: tensor(input.dtype, xb, input.shape),
        y: tensor(target.dtype, yb ?? zerosOf(target.dtype, B * tSize), target.shape),
      });
      outputs.set((result.output.data as Float32Array).subarray(0, n * outSize), start * outSize);
      losses.set((result.loss_per_example.data as Float32Array).subarray(0, n), start);
    }
    return { outputs, losses };
  }

  async predict(x: Float32Array | BigInt64Array, count: number): Promise<Float32Array> {
    const tokens = this.plan.input.dtype === 'int64';
    if (tokens !== x instanceof BigInt64Array)
      throw new Error(
        `predict: inputs must be ${tokens ? 'int64 token ids (BigInt64Array)' : 'floats (Float32Array)'}`,
      );
    return (await this.evalChunks(x, undefined, count)).outputs;
  }

  async evaluateLoss(batch: Batch, count: number): Promise<number> {
    if (count < 1) throw new Error('evaluateLoss needs at least one example');
    checkBatch(this.plan, batch, count, 'evaluation batch');
    const { losses } = await this.evalChunks(batch.x, batch.y, count);
    return losses.reduce((a, b) => a + b, 0) / count;
  }

  async attention(tokens: BigInt64Array): Promise<AttentionMaps[]> {
    if (this.plan.attentionLayers.length === 0) return [];
    if (this.plan.input.dtype !== 'int64') throw new Error('attention maps need a model with token input');
    const length = this.plan.input.shape[1];
    if (tokens.length < 1 || tokens.length > length)
      throw new Error(`the probe has ${tokens.length} tokens; the model reads 1 to ${length}`);
    // A probe graph per length: attention of a shorter text is exact, causal or not.
    let probe = this.probes.get(tokens.length);
    if (!probe) {
      probe = await openSession(
        serializeModel(buildProbeGraph(this.plan, tokens.length)),
        this.providers,
        this.plan.options,
      );
      this.probes.set(tokens.length, probe);
    }
    const result = await probe.run({ ...this.paramFeeds(), x: tensor('int64', tokens, [1, tokens.length]) });
    return this.plan.attentionLayers.map((layer) => {
      const probs = result[`attention_${layer}`];
      return {
        layer,
        heads: probs.dims[1],
        length: tokens.length,
        probs: (probs.data as Float32Array).slice(),
      };
    });
  }

  async featureMaps(image: Float32Array): Promise<FeatureMaps[]> {
    const { input } = this.plan;
    const size = input.shape.slice(1).reduce((a, d) => a * d, 1);
    if (input.dtype !== 'float32' || input.shape.length !== 4)
      throw new Error('feature maps need a model whose input is images [channels, height, width]');
    if (image.length !== size)
      throw new Error(`the image has ${image.length} values, the model reads ${size}`);
    if (!this.plan.options.model.layers.some((layer) => layer.type === 'conv2d')) return [];
    this.featureMapSession ??= await openSession(
      serializeModel(buildFeatureMapGraph(this.plan)),
      this.providers,
      this.plan.options,
    );
    const result = await this.featureMapSession.run({
      ...this.paramFeeds(),
      x: tensor('float32', image, [1, ...input.shape.slice(1)]),
    });
    return Object.entries(result)
      .map(([name, t]) => {
        const [, channels, height, width] = t.dims;
        const layer = Number(name.slice('feature_map_'.length));
        return { layer, channels, height, width, values: (t.data as Float32Array).slice() };
      })
      .sort((a, b) => a.layer - b.layer);
  }

  async recurrentInside(
    x: Float32Array | BigInt64Array,
  ): Promise<{ layers: RecurrentInside[]; output: Float32Array }> {
    const { input } = this.plan;
    const size = input.shape.slice(1).reduce((a, d) => a * d, 1);
    if (x.length !== size) throw new Error(`the example has ${x.length} values, the model reads ${size}`);
    this.insideSession ??= await openSession(
      serializeModel(buildInsideGraph(this.plan)),
      this.providers,
      this.plan.options,
    );
    const { output, ...result } = await this.insideSession.run({
      ...this.paramFeeds(),
      x: tensor(input.dtype, x, [1, ...input.shape.slice(1)]),
    });
    const layers = new Map<number, RecurrentInside>();
    for (const [name, t] of Object.entries(result)) {
      // 'inside_<layer>_<series>' [1, steps, units]
      const [, layerText, series] = name.split('_');
      const layer = Number(layerText);
      const [, steps, units] = t.dims;
      const entry = layers.get(layer) ?? { layer, steps, units, values: {} };
      entry.values[series] = (t.data as Float32Array).slice();
      layers.set(layer, entry);
    }
    return {
      layers: [...layers.values()].sort((a, b) => a.layer - b.layer),
      output: (output.data as Float32Array).slice(),
    };
  }

  /** The state as checkpoints keep it: one tensor per parameter, per optimizer slot of each, per buffer. */
  async getState(): Promise<TrainingState> {
    const { options, layout } = this.plan;
    const slots = new Set(this.plan.slots.map((s) => s.name));
    const tensors: TrainingState['tensors'] = {};
    for (const [name, t] of this.state) {
      if (name === STEP) continue;
      const data = t.data as Float32Array;
      if (slots.has(name)) Object.assign(tensors, splitSlot(options.optimizer, layout, name, data));
      else tensors[name] = { dims: [...t.dims], data: data.slice() };
    }
    return { step: this.stepCount, tensors };
  }

  async setState(state: TrainingState): Promise<void> {
    const { options, layout } = this.plan;
    const slots = new Set(this.plan.slots.map((s) => s.name));
    // Every parameter there but running statistics missing: a checkpoint from before they were
    // kept, not another model's.
    const missingBuffers = this.plan.buffers.filter((buffer) => !state.tensors[buffer.name]);
    if (missingBuffers.length > 0 && this.plan.store.specs.every((spec) => state.tensors[spec.name]))
      throw new MissingRunningStatisticsError(missingBuffers.map((buffer) => buffer.onnxName));
    const restored = new Map<string, Tensor>();
    for (const name of this.state.keys()) {
      if (name === STEP) continue;
      const shape = stateShape(this.plan, name);
      const data = slots.has(name)
        ? joinSlot(options.optimizer, layout, name, state.tensors)
        : Float32Array.from(savedTensor(state.tensors, name, shape));
      restored.set(name, tensor('float32', data, shape));
    }
    restored.set(STEP, tensor('float32', Float32Array.of(state.step), []));
    this.state = restored;
    this.stepCount = state.step;
  }

  async exportOnnx(options: ExportOptions = {}): Promise<Uint8Array> {
    const values = new Map(
      [...this.plan.store.specs, ...this.plan.buffers].map((p) => [
        p.name,
        this.state.get(p.name)!.data as Float32Array,
      ]),
    );
    const { imported } = this.plan.options.model;
    if (imported) return exportImported(imported, values, options.classes);
    // Traced for one example; the first axis of input and output is the symbolic `batch`.
    const graph = buildExportGraph(this.plan, values, 1, options);
    return serializeModel(graph, {
      docString: exportDocString(this.plan, options),
      metadata: exportMetadata(options),
      dynamicBatch: true,
      constantsAsNodes: true,
    });
  }

  async dispose(): Promise<void> {
    const sessions = [
      this.trainSession,
      this.fused,
      this.evalSession,
      this.featureMapSession,
      this.insideSession,
      ...this.dynamicsSessions.values(),
    ];
    for (const s of [...sessions, ...this.probes.values()]) await s?.release();
    this.fused = this.evalSession = this.featureMapSession = this.insideSession = undefined;
    this.dynamicsSessions.clear();
    this.probes.clear();
  }
}

function padTo<T extends Float32Array | BigInt64Array>(data: T, length: number): T {
  if (data.length === length) return data;
  const out = (data instanceof Float32Array ? new Float32Array(length) : new BigInt64Array(length)) as T;
  out.set(data as never);
  return out;
}

function zerosOf(dtype: string, n: number): Float32Array | BigInt64Array {
  return dtype === 'int64' ? new BigInt64Array(n) : new Float32Array(n);
}
