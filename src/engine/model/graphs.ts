/**
 * The graphs a compiled model runs, all built from the same layer list:
 *  - train step:  state, x, y, lr, dropout key → new state, loss
 *  - fused steps: the train step as the body of an ONNX Loop over K stacked batches, so
 *                 parameters and optimizer state stay inside the runtime between steps
 *  - fused steps with dynamics: the same, the last step after the Loop with its gradient and
 *                 weight statistics as extra outputs (dynamics.ts), for the steps that are recorded
 *  - eval:        parameters, x, y → outputs and per-example loss (dropout off)
 *  - probe:       parameters, tokens [1, T] → attention probabilities of every attention layer
 *  - feature maps: parameters, one image [1, C, H, W] → the output of every conv2d layer
 *  - inside:      parameters, one sequence [1, T, …] → hidden states and gates of every
 *                 recurrent layer over time, and the model's output
 *  - export:      x → outputs, parameters baked in as initializers (model.onnx)
 * State order: parameters (layer order), then optimizer slots, then buffers (an imported model's
 * running statistics, updated by the forward pass of each step), then the step count.
 */
import type { AxisScaling, CompileOptions, ExportOptions } from '../api';
import { gradients } from '../autodiff/backward';
import { GraphBuilder, type Value } from '../graph/builder';
import type { DType } from '../graph/dtypes';
import { buildForward, type Forward, type ForwardOptions } from '../layers';
import { importForward } from '../onnx/importForward';
import type { ImportedBuffer } from '../onnx/importPlan';
import { outputDynamics, type StepValues } from './dynamics';
import { buildLoss, targetShape } from './losses';
import { flatLayout, flatSlots, flatten, unflatten, type FlatLayout } from './flatState';
import { clipScale, makeUpdate, type SlotSpec } from './optimizers';
import { ParamBinder, type ParamStore } from './params';

export const STEP = 'step';
export const next = (name: string) => `${name}__next`;

export interface ModelPlan {
  options: CompileOptions;
  store: ParamStore;
  /** The parameters as one flat vector: the optimizer's view of them (flatState.ts). */
  layout: FlatLayout;
  /** The optimizer's state, one flat tensor per kind. */
  slots: SlotSpec[];
  /** State the forward pass updates without gradients (BatchNormalization's running statistics). */
  buffers: ImportedBuffer[];
  /** [B, ...inputShape] and dtype of x. */
  input: { dtype: DType; shape: number[] };
  target: { dtype: DType; shape: number[] };
  /** Output shape with batch. */
  output: number[];
  attentionLayers: number[];
}

/** How a graph holds the buffers: their values (state inputs), and where train-mode updates go. */
interface BufferBinding {
  values: Map<string, Value>;
  updates?: Map<string, Value>;
}

/** The forward pass of the model: its layer list, or the imported ONNX graph. */
function modelForward(
  options: CompileOptions,
  x: Value,
  forward: ForwardOptions,
  buffers?: BufferBinding,
): Forward {
  const { imported, layers } = options.model;
  if (!imported) return buildForward(layers, x, forward);
  const { b, mode, params } = forward;
  const param = (p: { name: string; shape: number[]; data: Float32Array }) =>
    params.get(p.name, p.shape, () => p.data.slice());
  const output = importForward(imported, x, {
    b,
    mode,
    param,
    dropoutKey: forward.dropoutKey,
    ...(buffers && {
      buffer: (buffer) => buffers.values.get(buffer.name)!,
      updateBuffer: (buffer, value) => buffers.updates?.set(buffer.name, value),
    }),
  });
  return { output, attention: [], layerOutputs: [output], inside: [] };
}

/** Every buffer as a graph input of its own name. */
function bufferInputs(b: GraphBuilder, plan: ModelPlan): BufferBinding {
  return { values: new Map(plan.buffers.map((p) => [p.name, b.input(p.name, 'float32', p.shape)])) };
}

const withBatch = (shape: number[], batch: number) => [batch, ...shape.slice(1)];

/** Builds the eval forward once to declare parameters (seeded, in layer order) and learn shapes. */
export function planModel(options: CompileOptions, store: ParamStore): ModelPlan {
  const { model, batchSize } = options;
  const input = {
    dtype: (model.inputKind === 'tokens' ? 'int64' : 'float32') as DType,
    shape: [batchSize, ...model.inputShape],
  };
  const b = new GraphBuilder();
  const x = b.input('x', input.dtype, input.shape);
  const forward = modelForward(options, x, {
    b,
    mode: 'eval',
    params: new ParamBinder(store, b, 'input'),
  });
  const output = forward.output.shape;
  const layout = flatLayout(store.specs);
  return {
    options,
    store,
    layout,
    slots: flatSlots(options.optimizer, layout),
    buffers: model.imported?.buffers ?? [],
    input,
    target: targetShape(options.loss, output),
    output,
    attentionLayers: forward.attention.map((a) => a.layer),
  };
}

export function stateNames(plan: ModelPlan): string[] {
  return [
    ...plan.store.specs.map((p) => p.name),
    ...plan.slots.map((s) => s.name),
    ...plan.buffers.map((p) => p.name),
    STEP,
  ];
}

export function stateShape(plan: ModelPlan, name: string): number[] {
  if (name === STEP) return [];
  const spec =
    plan.store.specs.find((p) => p.name === name) ??
    plan.slots.find((s) => s.name === name) ??
    plan.buffers.find((p) => p.name === name);
  if (!spec) throw new Error(`unknown state tensor ${name}`);
  return spec.shape;
}

interface StepIn {
  state: Value[];
  x: Value;
  y: Value;
  lr: Value;
  key: Value;
  /** The parameters as the flat vector they were split from (fused steps carry them so). */
  flatParams?: Value;
}

/** One optimizer step inside `b`; returns new state (same order), the mean loss and what the dynamics read. */
function buildStep(
  b: GraphBuilder,
  plan: ModelPlan,
  v: StepIn,
): { state: Value[]; flatParams: Value; loss: Value; values: StepValues } {
  const { options, store } = plan;
  const names = stateNames(plan);
  const byName = new Map(names.map((n, i) => [n, v.state[i]]));
  const params = store.specs.map((p) => byName.get(p.name)!);
  const binder = new ParamBinder(store, b, 'input', new Map(store.specs.map((p, i) => [p.name, params[i]])));
  const buffers: BufferBinding = {
    values: new Map(plan.buffers.map((p) => [p.name, byName.get(p.name)!])),
    updates: new Map(),
  };
  const forward = modelForward(
    options,
    v.x,
    { b, mode: 'train', params: binder, dropoutKey: v.key },
    buffers,
  );
  const loss = buildLoss(b, options.loss, forward.output, v.y, options.labelSmoothing ?? 0).mean;
  const grads = gradients(b, loss, params);
  const raw = params.map((p) => grads.get(p.name)!);
  const flatGrad = flatten(b, raw, plan.layout);
  const clip = options.clipNorm === undefined ? undefined : clipScale(b, flatGrad, options.clipNorm);
  const t = b.add(byName.get(STEP)!, b.scalar(1));
  const updated = makeUpdate(
    b,
    options.optimizer,
    v.lr,
    t,
  )({
    param: v.flatParams ?? flatten(b, params, plan.layout),
    grad: flatGrad,
    gradScale: clip,
    slots: plan.slots.map((s) => byName.get(s.name)!),
  });
  const newParams = unflatten(b, updated.param, plan.layout);
  return {
    state: [
      ...newParams,
      ...updated.slots,
      ...plan.buffers.map((p) => buffers.updates!.get(p.name) ?? buffers.values.get(p.name)!),
      t,
    ],
    flatParams: updated.param,
    loss,
    values: { params, grads: raw, clipScale: clip, newParams },
  };
}

function stateInputs(b: GraphBuilder, plan: ModelPlan): Value[] {
  return stateNames(plan).map((n) => b.input(n, 'float32', stateShape(plan, n)));
}

export interface TargetOptions {
  /** Build for the WebGPU execution provider (see GraphBuilder.avoidPoolIndices). */
  webgpu?: boolean;
  /** Fused steps only: the last step also outputs its training dynamics (dynamics.ts). */
  dynamics?: boolean;
}

export function buildTrainGraph(plan: ModelPlan, target: TargetOptions = {}): GraphBuilder {
  const b = new GraphBuilder('train_step');
  b.avoidPoolIndices = target.webgpu ?? false;
  b.contribOps = !target.webgpu;
  const state = stateInputs(b, plan);
  const x = b.input('x', plan.input.dtype, plan.input.shape);
  const y = b.input('y', plan.target.dtype, plan.target.shape);
  const lr = b.input('lr', 'float32', []);
  const key = b.input('dropout_key', 'int64', []);
  const step = buildStep(b, plan, { state, x, y, lr, key });
  stateNames(plan).forEach((n, i) => b.output(step.state[i], next(n)));
  b.output(step.loss, 'loss');
  return b;
}

interface StepStacks {
  xs: Value;
  ys: Value;
  lrs: Value;
  keys: Value;
}

/**
 * Steps 0…count−1 of the stacked batches in one ONNX Loop: the carried state and the losses
 * [count]; `outNames` names the optimizer slots and buffers after it, and the losses (the
 * parameters leave it as one flat vector, split after the Loop: callers name them).
 * The parameters ride the Loop as one flat vector, the optimizer's own view of them: each step
 * splits it for the forward pass and carries the updated vector on, where carrying them one by
 * one cost a Concat of them all and a copy of every new one per step.
 */
function loopSteps(
  b: GraphBuilder,
  plan: ModelPlan,
  state: Value[],
  stacks: StepStacks,
  count: number,
  outNames: { rest: (stateName: string) => string; losses: string },
): { state: Value[]; losses: Value } {
  const names = stateNames(plan);
  const paramCount = plan.store.specs.length;
  const body = b.subgraph('train_step_body');
  const iter = body.input('iteration', 'int64', []);
  const cond = body.input('cond_in', 'bool', []);
  const carriedParams = body.input('parameters__carried', 'float32', [plan.layout.size]);
  const carriedRest = names
    .slice(paramCount)
    .map((n) => body.input(`${n}__carried`, 'float32', stateShape(plan, n)));
  const pick = (stack: Value) => body.op('Gather', [stack, iter], { axis: 0 })[0];
  const step = buildStep(body, plan, {
    state: [...unflatten(body, carriedParams, plan.layout), ...carriedRest],
    x: pick(stacks.xs),
    y: pick(stacks.ys),
    lr: pick(stacks.lrs),
    key: pick(stacks.keys),
    flatParams: carriedParams,
  });
  body.output(cond, 'cond_out');
  // Loop body outputs match by position: unnamed, they need no Identity copy of every
  // optimizer slot per step.
  body.output(step.flatParams);
  step.state.slice(paramCount).forEach((s) => body.output(s));
  body.output(step.loss);

  const rest = state.slice(paramCount);
  const outputs = b.op(
    'Loop',
    [
      b.scalar(count, 'int64'),
      b.constant(Uint8Array.from([1]), [], 'bool'),
      flatten(b, state.slice(0, paramCount), plan.layout),
      ...rest,
    ],
    { body },
    {
      names: ['parameters__looped', ...names.slice(paramCount).map(outNames.rest), outNames.losses],
      types: [
        { dtype: 'float32', shape: [plan.layout.size] },
        ...rest.map((s) => ({ dtype: s.dtype, shape: s.shape })),
        { dtype: 'float32', shape: [count] },
      ],
    },
  );
  return {
    state: [...unflatten(b, outputs[0], plan.layout), ...outputs.slice(1, -1)],
    losses: outputs[outputs.length - 1],
  };
}

/**
 * K steps in one ONNX Loop: batches stacked on a leading axis, losses returned as [K]. With
 * `target.dynamics`, the Loop runs the first K − 1 steps and the last one follows it at the
 * top level, where its gradients are values the dynamics outputs can read (dynamics.ts).
 */
export function buildFusedTrainGraph(
  plan: ModelPlan,
  steps: number,
  target: TargetOptions = {},
): GraphBuilder {
  const b = new GraphBuilder(target.dynamics ? 'train_steps_dynamics' : 'train_steps');
  b.avoidPoolIndices = target.webgpu ?? false;
  b.contribOps = !target.webgpu;
  const names = stateNames(plan);
  const state = stateInputs(b, plan);
  const stacks = {
    xs: b.input('xs', plan.input.dtype, [steps, ...plan.input.shape]),
    ys: b.input('ys', plan.target.dtype, [steps, ...plan.target.shape]),
    lrs: b.input('lrs', 'float32', [steps]),
    keys: b.input('dropout_keys', 'int64', [steps]),
  };
  if (!target.dynamics) {
    const loop = loopSteps(b, plan, state, stacks, steps, { rest: next, losses: 'losses' });
    names.forEach((n, i) => b.output(loop.state[i], next(n)));
    b.output(loop.losses, 'losses');
    return b;
  }
  const looped =
    steps > 1
      ? loopSteps(b, plan, state, stacks, steps - 1, {
          rest: (n) => `${n}__looped`,
          losses: 'losses__looped',
        })
      : { state, losses: undefined };
  const at = b.scalar(steps - 1, 'int64');
  const pick = (stack: Value) => b.op('Gather', [stack, at], { axis: 0 })[0];
  const last = buildStep(b, plan, {
    state: looped.state,
    x: pick(stacks.xs),
    y: pick(stacks.ys),
    lr: pick(stacks.lrs),
    key: pick(stacks.keys),
  });
  names.forEach((n, i) => b.output(last.state[i], next(n)));
  const lastLoss = b.reshape(last.loss, [1]);
  const losses = looped.losses ? b.op('Concat', [looped.losses, lastLoss], { axis: 0 })[0] : lastLoss;
  b.output(losses, 'losses');
  outputDynamics(b, last.values);
  return b;
}

/** Parameters as inputs; outputs: 'output' and 'loss_per_example' [B]. */
export function buildEvalGraph(plan: ModelPlan): GraphBuilder {
  const b = new GraphBuilder('eval');
  const params = new ParamBinder(plan.store, b, 'input');
  plan.store.specs.forEach((p) => params.get(p.name, p.shape, () => p.data));
  const x = b.input('x', plan.input.dtype, plan.input.shape);
  const y = b.input('y', plan.target.dtype, plan.target.shape);
  const forward = modelForward(plan.options, x, { b, mode: 'eval', params }, bufferInputs(b, plan));
  b.output(forward.output, 'output');
  const loss = buildLoss(b, plan.options.loss, forward.output, y, plan.options.labelSmoothing ?? 0);
  b.output(loss.perExample, 'loss_per_example');
  return b;
}

/** One sequence of `length` ≤ T tokens; outputs 'attention_<layer>' [1, heads, length, length]. */
export function buildProbeGraph(plan: ModelPlan, length: number): GraphBuilder {
  const b = new GraphBuilder('attention_probe');
  const params = new ParamBinder(plan.store, b, 'input');
  plan.store.specs.forEach((p) => params.get(p.name, p.shape, () => p.data));
  const x = b.input('x', plan.input.dtype, [1, length]);
  const forward = buildForward(plan.options.model.layers, x, {
    b,
    mode: 'eval',
    params,
    contextLength: plan.input.shape[1],
  });
  for (const a of forward.attention) b.output(a.probs, `attention_${a.layer}`);
  return b;
}

/** One example in eval mode; outputs 'feature_map_<layer>' [1, filters, H, W] of every conv2d layer. */
export function buildFeatureMapGraph(plan: ModelPlan): GraphBuilder {
  const b = new GraphBuilder('feature_maps');
  const params = new ParamBinder(plan.store, b, 'input');
  plan.store.specs.forEach((p) => params.get(p.name, p.shape, () => p.data));
  const x = b.input('x', plan.input.dtype, withBatch(plan.input.shape, 1));
  const layers = plan.options.model.layers;
  const forward = buildForward(layers, x, { b, mode: 'eval', params });
  layers.forEach((layer, i) => {
    if (layer.type === 'conv2d') b.output(forward.layerOutputs[i], `feature_map_${i}`);
  });
  return b;
}

/** Forward-only inference model with the given parameter values baked in. */
export function buildExportGraph(
  plan: ModelPlan,
  values: Map<string, Float32Array>,
  batch: number,
  options: ExportOptions = {},
): GraphBuilder {
  const b = new GraphBuilder('model_lab_inference');
  const raw = b.input('input', plan.input.dtype, withBatch(plan.input.shape, batch));
  // The training data was scaled by the loader; the exported model takes the data as the user has it.
  const x = options.inputScaling ? applyScaling(b, raw, options.inputScaling, 'in') : raw;
  const baked = new Map(
    plan.store.specs.map((p) => [
      p.name,
      b.initializer(p.name, 'float32', p.shape, values.get(p.name) ?? p.data),
    ]),
  );
  const forward = buildForward(plan.options.model.layers, x, {
    b,
    mode: 'eval',
    params: new ParamBinder(plan.store, b, 'initializer', baked),
  });
  const output = options.outputScaling
    ? applyScaling(b, forward.output, options.outputScaling, 'out')
    : forward.output;
  b.output(output, 'output');
  return b;
}

/** 'in': (x − shift) / scale; 'out': x · scale + shift; both broadcast along the last axis. */
function applyScaling(b: GraphBuilder, x: Value, scaling: AxisScaling, direction: 'in' | 'out'): Value {
  const width = scaling.shift.length;
  const shift = b.constant(Float32Array.from(scaling.shift), [width]);
  const scale = b.constant(Float32Array.from(scaling.scale), [width]);
  return direction === 'in' ? b.div(b.sub(x, shift), scale) : b.add(b.mul(x, scale), shift);
}

/**
 * One example in eval mode; outputs 'inside_<layer>_<name>' [1, T, units] for every recurrent
 * layer's hidden states and gates (layers/recurrent.ts), and 'output' (the model's answer).
 */
export function buildInsideGraph(plan: ModelPlan): GraphBuilder {
  const b = new GraphBuilder('recurrent_inside');
  const params = new ParamBinder(plan.store, b, 'input');
  plan.store.specs.forEach((p) => params.get(p.name, p.shape, () => p.data));
  const x = b.input('x', plan.input.dtype, withBatch(plan.input.shape, 1));
  const forward = buildForward(plan.options.model.layers, x, {
    b,
    mode: 'eval',
    params,
    inspectRecurrent: true,
  });
  for (const { layer, values } of forward.inside)
    for (const [name, value] of Object.entries(values)) b.output(value, `inside_${layer}_${name}`);
  b.output(forward.output, 'output');
  return b;
}
