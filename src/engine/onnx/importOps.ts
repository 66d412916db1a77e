/**
 * The op table of the ONNX importer: for each supported op, the attributes it accepts and how
 * it maps onto engine graph ops, so the engine's autodiff rules (autodiff/rules/) apply.
 *
 * Most ops pass through unchanged, activations PyTorch exports as one op (Elu, Softplus, PRelu,
 * LeakyRelu, HardSwish, …) and Clip included: their rules are in autodiff/rules/activations.ts and
 * elementwise.ts. The others become compositions of ops that have gradient rules:
 * GlobalAveragePool is a ReduceMean, Gelu the engine's Gelu composite,
 * BatchNormalization normalises with the batch's statistics in training graphs (the engine's
 * batchNorm composite, layers/batchNorm.ts), updating the running ones, and with the running ones
 * in eval graphs (PyTorch's train / eval semantics), a Gather of one constant
 * index a Slice, and LSTM / GRU run on the engine's recurrent cells (recurrent/) with their
 * weights reordered from ONNX's gate order to PyTorch's.
 * Dropout drops in training graphs with the node's ratio, through the engine's keyed masks
 * (layers/dropout.ts: a function of the step's key, reproducible and resumable), and is the
 * identity in eval graphs; Identity is removed.
 */
import type { AttrValue, GraphBuilder, Value } from '../graph/builder';
import { gelu } from '../layers/activations';
import { batchNormTrain } from '../layers/batchNorm';
import type { RecurrentWeights } from '../recurrent/common';
import { gruSequence } from '../recurrent/gru';
import { lstmSequence } from '../recurrent/lstm';
import { checkAutoPad, explicitPadding } from './autoPad';
import { EINSUM_OPS } from './einsumOps';
import { GROUP_NORMALIZATION_OP } from './groupNormalization';
import { LINEAR_TRANSFORMS, linearResize } from './linearResize';
import { LRN_OP } from './localResponseNorm';
import { opset13Forms } from './olderOpsets';
import type { OnnxNode } from './onnxFile';
import { POINTWISE_OPS } from './pointwiseOps';
import { averageRescale, floorModePads } from './poolWindows';
import { REARRANGE_OPS } from './rearrangeOps';
import { TRIANGULAR_OPS } from './triangularOps';
import { attrInt, attrInts, attrStr, passAttrs, same, type OpContext, type OpImporter } from './opImporter';

/** ConvTranspose's auto_pad (its SAME sizes the output from the input) stays refused. */
const noAutoPad = (node: OnnxNode) =>
  attrStr(node, 'auto_pad', 'NOTSET') !== 'NOTSET'
    ? 'auto_pad other than NOTSET (export with explicit pads)'
    : undefined;

const spatial2d = (node: OnnxNode, what: string, alsoOneD = false) => {
  const k = attrInts(node, 'kernel_shape');
  return k && k.length !== 2 && !(alsoOneD && k.length === 1)
    ? `only ${alsoOneD ? '1-D and ' : ''}2-D ${what} (kernel_shape [${k}])`
    : undefined;
};

/**
 * 1-D convolution and pooling (PyTorch's Conv1d, MaxPool1d, AvgPool1d) run as the 2-D ones over
 * a height of 1: the engine's Conv and pooling and their gradient rules are 2-D, and Unsqueeze /
 * Squeeze around them have their own rules. ONNX pads [begin, end] become [0, begin, 0, end];
 * kernel_shape, strides and dilations gain a leading 1. `inputs` are the ones of rank 3 to lift
 * (the data, and a convolution's filters); `extra` follow unchanged (a bias).
 */
function asTwoD(
  c: OpContext,
  inputs: Value[],
  extra: (Value | undefined)[],
  attrs: string[],
  op: TwoDOp = (ins, a) => c.b.op(c.node.opType, ins, a)[0],
): Value[] {
  const { b, node } = c;
  const [begin, end] = attrInts(node, 'pads') ?? [0, 0];
  const lifted: Record<string, AttrValue> = { pads: [0, begin, 0, end] };
  for (const name of attrs) {
    const v = node.attrs[name];
    if (name === 'pads' || v === undefined) continue;
    lifted[name] = ['kernel_shape', 'strides', 'dilations'].includes(name)
      ? [1, ...(v as number[])]
      : (v as AttrValue);
  }
  const height = (v: Value) => b.op('Unsqueeze', [v, b.ints([2])])[0];
  const y = op([...inputs.map(height), ...extra], lifted);
  return b.op('Squeeze', [y, b.ints([2])]);
}

type TwoDOp = (inputs: (Value | undefined)[], attrs: Record<string, AttrValue>) => Value;

/**
 * A convolution with its groups (groups > 1 in PyTorch: depthwise, ResNeXt) as one Conv node:
 * its gradient rule (autodiff/rules/conv.ts) takes groups. One node per group instead made
 * MobileNetV3-Small's graph thousands of convolutions, minutes to build before the first step.
 */
function groupedConv(b: GraphBuilder, groups: number): TwoDOp {
  return ([x, w, bias], attrs) =>
    b.op('Conv', [x!, w!, bias], groups === 1 ? attrs : { ...attrs, group: groups })[0];
}

const first = (...reasons: (string | undefined)[]) => reasons.find(Boolean);

/**
 * The node's pooling with ceil_mode as more end padding (poolWindows.ts), 1-D lifted to 2-D;
 * `attrs` override the node's own.
 */
function floorModePool(c: OpContext, attrs: Record<string, AttrValue>): Value {
  const x = c.x(0);
  const pads = floorModePads(c.node, x.shape.slice(2));
  const pool = (ins: (Value | undefined)[], lifted: Record<string, AttrValue>, padding: number[]) =>
    c.b.op(c.node.opType, ins, { ...lifted, pads: padding, ...attrs })[0];
  if (x.rank === 3)
    return asTwoD(c, [x], [], ['kernel_shape', 'strides'], (ins, lifted) =>
      pool(ins, lifted, [0, pads[0], 0, pads[1]]),
    )[0];
  return pool([x], passAttrs(c.node, ['kernel_shape', 'strides']), pads);
}

const POOL = ['kernel_shape', 'pads', 'strides', 'auto_pad', 'ceil_mode', 'dilations'];

/** What MaxPool and AveragePool both refuse: an undefined auto_pad, 3-D windows, dilations. */
const checkPool = (n: OnnxNode) =>
  first(
    checkAutoPad(n),
    spatial2d(n, 'pooling', true),
    (attrInts(n, 'dilations') ?? []).some((d) => d !== 1) ? 'dilated pooling' : undefined,
  );

export const OPS: Record<string, OpImporter> = {
  Add: same(),
  Sub: same(),
  Mul: same(),
  Div: same(),
  Pow: same(),
  Sqrt: same(),
  Erf: same(),
  Tanh: same(),
  Sigmoid: same(),
  Relu: same(),
  Exp: same(),
  Log: same(),
  Neg: same(),
  Abs: same(),
  Reciprocal: same(),
  Sin: same(),
  Cos: same(),
  Max: same(),
  Min: same(),
  Elu: same(['alpha']),
  LeakyRelu: same(['alpha']),
  Selu: same(['alpha', 'gamma']),
  Softplus: same(),
  Softsign: same(),
  HardSigmoid: same(['alpha', 'beta']),
  HardSwish: same(),
  PRelu: same(),
  Where: same(),
  Equal: same(),
  Less: same(),
  Greater: same(),
  Not: same(),
  And: same(),
  Expand: same(),
  MatMul: same(),
  // saturate (opset 19) and round_mode (opset 24) only concern float8 and smaller types.
  Cast: {
    attrs: ['to', 'saturate', 'round_mode'],
    emit: (c) => c.b.op('Cast', [c.x(0)], { to: c.node.attrs.to as number }),
  },
  Softmax: same(['axis']),
  LogSoftmax: same(['axis']),
  Transpose: same(['perm']),
  Concat: same(['axis']),
  Flatten: same(['axis']),
  Gemm: same(['alpha', 'beta', 'transA', 'transB']),
  LayerNormalization: {
    attrs: ['axis', 'epsilon', 'stash_type'],
    check: (n) =>
      attrInt(n, 'stash_type', 1) !== 1 ? 'stash_type other than 1 (float32 statistics)' : undefined,
    emit: (c) =>
      c.b.op('LayerNormalization', [c.x(0), c.input(1), c.input(2)], passAttrs(c.node, ['axis', 'epsilon'])),
  },
  Conv: explicitPadding({
    attrs: ['kernel_shape', 'pads', 'strides', 'dilations', 'group', 'auto_pad'],
    check: (n) => first(checkAutoPad(n), spatial2d(n, 'convolutions', true)),
    emit: (c) => {
      const conv = groupedConv(c.b, attrInt(c.node, 'group', 1));
      return c.x(0).rank === 3
        ? asTwoD(c, [c.x(0), c.x(1)], [c.input(2)], ['kernel_shape', 'strides', 'dilations'], conv)
        : [
            conv(
              [c.x(0), c.x(1), c.input(2)],
              passAttrs(c.node, ['kernel_shape', 'pads', 'strides', 'dilations']) as Record<
                string,
                AttrValue
              >,
            ),
          ];
    },
  }),
  // nn.ConvTranspose2d: onnxruntime's ConvTranspose, its gradient rule in autodiff/rules/conv.ts.
  ConvTranspose: {
    attrs: [
      'kernel_shape',
      'pads',
      'strides',
      'dilations',
      'group',
      'output_padding',
      'output_shape',
      'auto_pad',
    ],
    check: (n) =>
      first(
        noAutoPad(n),
        spatial2d(n, 'transposed convolutions'),
        attrInt(n, 'group', 1) !== 1
          ? `group ${attrInt(n, 'group', 1)} (grouped transposed convolution)`
          : undefined,
        n.attrs.output_shape !== undefined
          ? 'output_shape (export with explicit pads and output_padding, as PyTorch does)'
          : undefined,
      ),
    emit: (c) => {
      if (c.x(0).rank !== 4)
        throw new Error('only 2-D transposed convolutions ([batch, channels, height, width])');
      return c.b.op(
        'ConvTranspose',
        [c.x(0), c.x(1), c.input(2)],
        passAttrs(c.node, ['kernel_shape', 'pads', 'strides', 'dilations', 'output_padding']),
      );
    },
  },
  Resize: {
    attrs: [
      'mode',
      'coordinate_transformation_mode',
      'nearest_mode',
      'cubic_coeff_a',
      'exclude_outside',
      'extrapolation_value',
      'antialias',
      'axes',
      'keep_aspect_ratio_policy',
    ],
    check: (n) => {
      // Opset 18's additions, as exporters write them when unused.
      if (attrInt(n, 'antialias', 0)) return 'antialias 1';
      if (attrStr(n, 'keep_aspect_ratio_policy', 'stretch') !== 'stretch')
        return `keep_aspect_ratio_policy ${attrStr(n, 'keep_aspect_ratio_policy', '')}`;
      const mode = attrStr(n, 'mode', 'nearest');
      const transform = attrStr(n, 'coordinate_transformation_mode', 'half_pixel');
      if (mode === 'linear')
        return LINEAR_TRANSFORMS.includes(transform)
          ? undefined
          : `coordinate_transformation_mode ${transform} in linear mode`;
      if (mode !== 'nearest') return `mode ${mode} (nearest and linear only)`;
      const rounding = attrStr(n, 'nearest_mode', 'round_prefer_floor');
      // Where an integer upscaling repeats every element (output i reads input ⌊i / s⌋).
      const repeats =
        (transform === 'asymmetric' && rounding === 'floor') ||
        (['half_pixel', 'pytorch_half_pixel'].includes(transform) && rounding.startsWith('round_prefer'));
      return repeats
        ? undefined
        : `coordinate_transformation_mode ${transform} with nearest_mode ${rounding}`;
    },
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const { sizes, scales } = resizeTargets(c, x.shape);
      if (attrStr(c.node, 'mode', 'nearest') === 'linear')
        return [
          linearResize(b, x, sizes, scales, attrStr(c.node, 'coordinate_transformation_mode', 'half_pixel')),
        ];
      const factors = wholeFactors(x.shape, sizes);
      if (factors.every((f) => f === 1)) return [x];
      // Nearest upscaling by whole factors repeats each element f times along its axis:
      // x as [d₀, 1, d₁, 1, …] expanded to [d₀, f₀, d₁, f₁, …]; Expand's rule sums dy back.
      const spread = b.reshape(
        x,
        x.shape.flatMap((d) => [d, 1]),
      );
      const repeated = b.op('Expand', [spread, b.ints(x.shape.flatMap((d, i) => [d, factors[i]]))])[0];
      return [
        b.reshape(
          repeated,
          x.shape.map((d, i) => d * factors[i]),
        ),
      ];
    },
  },
  MaxPool: explicitPadding({
    attrs: [...POOL, 'storage_order'],
    check: (n) => first(checkPool(n), attrInt(n, 'storage_order', 0) ? 'storage_order 1' : undefined),
    // Padding never wins a max, so ceil mode as more end padding leaves the forward, its Indices
    // and the gradient rule the floor-mode ones.
    emit: (c) => [floorModePool(c, {})],
  }),
  AveragePool: explicitPadding({
    attrs: [...POOL, 'count_include_pad'],
    check: checkPool,
    emit: (c) => {
      const pooled = floorModePool(c, { count_include_pad: 1 });
      const rescale = averageRescale(c.node, c.x(0).shape.slice(2));
      if (!rescale) return [pooled];
      const perPosition = c.b.constant(rescale, [1, 1, ...pooled.shape.slice(2)], pooled.dtype);
      return [c.b.mul(pooled, perPosition)];
    },
  }),
  GlobalAveragePool: {
    emit: (c) => {
      const x = c.x(0);
      return [c.b.reduceMean(x, x.shape.map((_, i) => i).slice(2), true)];
    },
  },
  Reshape: {
    attrs: ['allowzero'],
    emit: (c) => {
      const x = c.x(0);
      const target = c.ints(1, 'the target shape');
      // allowzero 1 (PyTorch 2's exporter writes it) differs only where the shape holds a 0.
      if (attrInt(c.node, 'allowzero', 0) && target.includes(0))
        throw new Error('allowzero 1 with a 0 in the target shape (an axis of size 0)');
      // 0 copies the input's size on that axis (allowzero 0); the builder wants it spelled out.
      const shape = target.map((d, i) => (d === 0 ? x.shape[i] : d));
      return [c.b.reshape(x, shape)];
    },
  },
  Squeeze: {
    emit: (c) => {
      const x = c.x(0);
      const axes = c.node.inputs[1] ? c.ints(1, 'axes') : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
      return c.b.op('Squeeze', [x, c.b.ints(axes)]);
    },
  },
  Unsqueeze: { emit: (c) => c.b.op('Unsqueeze', [c.x(0), c.b.ints(c.ints(1, 'axes'))]) },
  Split: {
    attrs: ['axis', 'num_outputs'],
    emit: (c) => {
      const x = c.x(0);
      const axis = attrInt(c.node, 'axis', 0);
      const count = c.node.outputs.length;
      const length = x.shape[axis < 0 ? axis + x.rank : axis];
      // Without sizes the parts are equal, the last one smaller when they do not divide (opset 18).
      const part = Math.ceil(length / count);
      const sizes = c.node.inputs[1]
        ? c.ints(1, 'split sizes')
        : Array.from({ length: count }, (_, i) => Math.min(part, length - i * part));
      return c.b.op('Split', [x, c.b.ints(sizes)], { axis }, { outputs: count });
    },
  },
  Slice: {
    emit: (c) => {
      const x = c.x(0);
      const starts = c.ints(1, 'starts');
      const ends = c.ints(2, 'ends');
      const axes = c.node.inputs[3] ? c.ints(3, 'axes') : starts.map((_, i) => i);
      const steps = c.node.inputs[4] ? c.ints(4, 'steps') : starts.map(() => 1);
      // x[:, 0::2] (Swin's patch merging) steps forward; a negative step (a flip) is refused.
      if (steps.some((s) => s < 1)) throw new Error('only slices with positive steps are supported');
      // Clamp to the axis (exporters write INT64_MAX for "to the end", beyond what int64 constants built from numbers hold).
      const clamp = (v: number, n: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
      const sizes = axes.map((a) => x.shape[a < 0 ? a + x.rank : a]);
      const begin = starts.map((s, i) => clamp(s, sizes[i]));
      const end = ends.map((e, i) => clamp(e, sizes[i]));
      const stepped = steps.some((s) => s !== 1) ? [c.b.ints(steps)] : [];
      return c.b.op('Slice', [x, c.b.ints(begin), c.b.ints(end), c.b.ints(axes), ...stepped]);
    },
  },
  Gather: {
    attrs: ['axis'],
    emit: (c) => {
      const data = c.x(0);
      const axis = attrInt(c.node, 'axis', 0);
      const ax = axis < 0 ? axis + data.rank : axis;
      const index = c.known(1);
      // A constant index on another axis (out[:, -1]) is a Slice, which has a gradient rule.
      if (index && ax !== 0 && index.values.length === 1) {
        const n = data.shape[ax];
        const i = index.values[0] < 0 ? index.values[0] + n : index.values[0];
        const slice = c.b.op('Slice', [data, c.b.ints([i]), c.b.ints([i + 1]), c.b.ints([ax])])[0];
        return index.dims.length === 0 ? c.b.op('Squeeze', [slice, c.b.ints([ax])]) : [slice];
      }
      if (ax !== 0) throw new Error(`Gather on axis ${axis} needs a single constant index`);
      return c.b.op('Gather', [data, c.x(1)], { axis: 0 });
    },
  },
  ReduceMean: {
    attrs: ['axes', 'keepdims', 'noop_with_empty_axes'],
    emit: (c) => {
      const x = c.x(0);
      const axes = c.node.inputs[1]
        ? c.ints(1, 'axes')
        : (attrInts(c.node, 'axes') ?? x.shape.map((_, i) => i));
      return [c.b.reduceMean(x, axes, attrInt(c.node, 'keepdims', 1) === 1)];
    },
  },
  // torch.amax, .max(dim).values and their minimum counterparts.
  ReduceMax: reduction((b, x, axes, keep) => b.op('ReduceMax', [x], { axes, keepdims: keep ? 1 : 0 })[0]),
  ReduceMin: reduction((b, x, axes, keep) => b.op('ReduceMin', [x], { axes, keepdims: keep ? 1 : 0 })[0]),
  // The other reductions PyTorch exports (torch.norm / F.normalize, torch.logsumexp, x.abs().sum,
  // x.pow(2).sum) as ReduceSum of ops that have gradient rules.
  ReduceL1: reduction((b, x, axes, keep) => b.reduceSum(b.unary('Abs', x), axes, keep)),
  ReduceL2: reduction((b, x, axes, keep) => b.unary('Sqrt', b.reduceSum(b.mul(x, x), axes, keep))),
  ReduceSumSquare: reduction((b, x, axes, keep) => b.reduceSum(b.mul(x, x), axes, keep)),
  // log Σ exp(x − m) + m with m the maximum, so large inputs do not overflow; m's gradient
  // cancels exactly (−1 from the sum, +1 from the addend).
  ReduceLogSumExp: reduction((b, x, axes, keep) => {
    const m = b.op('ReduceMax', [x], { axes, keepdims: 1 })[0];
    const sum = b.reduceSum(b.unary('Exp', b.sub(x, m)), axes, true);
    const y = b.add(b.unary('Log', sum), m);
    return keep ? y : b.op('Squeeze', [y, b.ints(axes.map((a) => (a < 0 ? a + x.shape.length : a)))])[0];
  }),
  ReduceSum: {
    attrs: ['keepdims', 'noop_with_empty_axes'],
    emit: (c) => {
      const x = c.x(0);
      const axes = c.node.inputs[1] ? c.ints(1, 'axes') : x.shape.map((_, i) => i);
      return [c.b.reduceSum(x, axes, attrInt(c.node, 'keepdims', 1) === 1)];
    },
  },
  Pad: {
    attrs: ['mode'],
    check: (n) =>
      attrStr(n, 'mode', 'constant') !== 'constant' ? `mode ${attrStr(n, 'mode', '')}` : undefined,
    emit: (c) => {
      const x = c.x(0);
      const given = c.ints(1, 'pads');
      // With axes (opset 18) the pads are those axes' begins then ends; the others get none.
      const axes = c.node.inputs[3] ? c.ints(3, 'axes').map((a) => (a < 0 ? a + x.rank : a)) : undefined;
      const pads = axes
        ? [0, 1].flatMap((side) =>
            x.shape.map((_, axis) =>
              axes.includes(axis) ? given[side * axes.length + axes.indexOf(axis)] : 0,
            ),
          )
        : given;
      if (pads.some((p) => p < 0)) throw new Error('negative pads (cropping) are not supported');
      return c.b.op('Pad', [x, c.b.ints(pads), c.input(2)]);
    },
  },
  Gelu: {
    attrs: ['approximate'],
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const s = (v: number) => b.scalar(v, x.dtype);
      if (attrStr(c.node, 'approximate', 'none') === 'tanh') {
        // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
        const cube = b.mul(b.mul(x, x), x);
        const inner = b.mul(s(Math.sqrt(2 / Math.PI)), b.add(x, b.mul(s(0.044715), cube)));
        return [b.mul(b.mul(s(0.5), x), b.add(s(1), b.unary('Tanh', inner)))];
      }
      // x·Φ(x), Φ = (1 + erf(x/√2))/2: the engine's Gelu composite, one gradient rule.
      return [gelu(b, x)];
    },
  },
  Dropout: {
    attrs: ['seed'],
    // The mask output (1) is not produced: exporters name it, nothing reads it.
    emit: (c) => {
      // ONNX's default ratio is 0.5; PyTorch's exporter always writes it. training_mode (input
      // 2) is not read: Model Lab's mode decides (it drops in training graphs, as PyTorch's
      // model.train() would, and the file's flag only says how the file was exported).
      const ratio = c.input(1) ? c.known(1)?.values[0] : 0.5;
      if (ratio === undefined) throw new Error('its ratio must be a constant');
      if (!(ratio >= 0 && ratio < 1)) throw new Error(`its ratio ${ratio} is outside [0, 1)`);
      return [c.mode === 'train' ? c.dropout(c.x(0), ratio) : c.x(0)];
    },
  },
  // Clip (PyTorch's ReLU6, Hardtanh, clamp) stays onnxruntime's Clip, with its own gradient rule
  // (autodiff/rules/elementwise.ts). The bounds must be constants, so they never become trainable.
  // A missing bound is written as ∓∞: onnxruntime's default, float32's largest value, would turn
  // an infinite x finite where torch.clamp keeps it.
  Clip: {
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const bounds = ([1, 2] as const).map((i) => {
        const unbounded = i === 1 ? -Infinity : Infinity;
        const bound = c.node.inputs[i] ? c.known(i)?.values[0] : unbounded;
        if (bound === undefined) throw new Error(`its ${i === 1 ? 'min' : 'max'} must be a constant`);
        return b.scalar(bound, x.dtype);
      });
      return [b.op('Clip', [x, ...bounds])[0]];
    },
  },
  Identity: { emit: (c) => [c.x(0)] },
  BatchNormalization: {
    attrs: ['epsilon', 'momentum', 'training_mode'],
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const epsilon = typeof c.node.attrs.epsilon === 'number' ? c.node.attrs.epsilon : 1e-5;
      const [scale, bias, runningMean, runningVar] = [c.x(1), c.x(2), c.x(3), c.x(4)];
      if (c.mode === 'eval') {
        const y = b.op('BatchNormalization', [x, scale, bias, runningMean, runningVar], { epsilon })[0];
        return [y, runningMean, runningVar];
      }
      const { y, mean, variance } = batchNormTrain(b, x, scale, bias, epsilon);
      // Running statistics: r ← momentum·r + (1 − momentum)·batch, with the unbiased variance
      // (n / (n − 1)) as PyTorch keeps it. ONNX's momentum is PyTorch's 1 − momentum, so the
      // exporter writes 0.9 for PyTorch's default 0.1, and 0.9 is also ONNX's default.
      const momentum = typeof c.node.attrs.momentum === 'number' ? c.node.attrs.momentum : 0.9;
      const n = x.size / x.shape[1];
      const blend = (running: Value, batch: Value) =>
        b.add(b.mul(running, b.scalar(momentum, x.dtype)), b.mul(batch, b.scalar(1 - momentum, x.dtype)));
      const newMean = blend(runningMean, mean);
      const newVar = blend(runningVar, b.mul(variance, b.scalar(n / Math.max(1, n - 1), x.dtype)));
      c.updateBuffer(3, newMean);
      c.updateBuffer(4, newVar);
      return [y, newMean, newVar];
    },
  },
  // InstanceNormalization (nn.InstanceNorm2d, and nn.GroupNorm as exported: a Reshape to
  // [N, groups, …] around a unit-scale one) normalizes each sample's channel over its spatial
  // axes with that sample's statistics, in training and evaluation alike (no running
  // statistics): the engine's LayerNormalization over the axes from 2 with unit scale, whose
  // rule has the closed form, then the per-channel scale and shift.
  InstanceNormalization: {
    attrs: ['epsilon'],
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      if (x.rank < 3) throw new Error(`its input has rank ${x.rank}; it needs [batch, channels, …]`);
      const spatial = x.shape.slice(2);
      const ones = b.constant(
        new Array<number>(spatial.reduce((n, d) => n * d, 1)).fill(1),
        spatial,
        x.dtype,
      );
      const epsilon = typeof c.node.attrs.epsilon === 'number' ? c.node.attrs.epsilon : 1e-5;
      const normalized = b.op('LayerNormalization', [x, ones], { axis: 2, epsilon })[0];
      const perChannel = (v: Value) => b.reshape(v, [x.shape[1], ...spatial.map(() => 1)]);
      return [b.add(b.mul(normalized, perChannel(c.x(1))), perChannel(c.x(2)))];
    },
  },
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  LRN: LRN_OP,
  GroupNormalization: GROUP_NORMALIZATION_OP,
  ...POINTWISE_OPS,
  ...REARRANGE_OPS,
  ...TRIANGULAR_OPS,
  ...EINSUM_OPS,
};

/**
 * The output size and scale of each axis of a Resize, from its scales (input 2) or sizes
 * (input 3), which must be constants.
 */
function resizeTargets(c: OpContext, dims: number[]): { sizes: number[]; scales: number[] } {
  const scales = c.node.inputs[2] ? c.known(2) : undefined;
  const sizes = c.node.inputs[3] ? c.known(3) : undefined;
  if (c.node.inputs[2] && !scales) throw new Error('its scales must be constants');
  if (c.node.inputs[3] && !sizes) throw new Error('its sizes must be constants');
  const given = scales?.values.length ? scales : sizes;
  // With axes (opset 18) the scales or sizes are those axes' only; the others keep their size.
  const axes = (attrInts(c.node, 'axes') ?? dims.map((_, i) => i)).map((a) => (a < 0 ? a + dims.length : a));
  if (!given || given.values.length !== axes.length)
    throw new Error(`it needs one scale or size per axis of its input [${dims.join(', ')}]`);
  const perAxis = (fill: (axis: number) => number) =>
    dims.map((_, axis) => (axes.includes(axis) ? given.values[axes.indexOf(axis)] : fill(axis)));
  if (given === scales) {
    const full = perAxis(() => 1);
    return { sizes: dims.map((d, i) => Math.floor(d * full[i])), scales: full };
  }
  const full = perAxis((axis) => dims[axis]);
  return { sizes: full, scales: full.map((s, i) => s / dims[i]) };
}

/** Nearest resizing by whole factors: each axis's factor, or an error naming the axis. */
function wholeFactors(dims: number[], sizes: number[]): number[] {
  return dims.map((d, i) => {
    const factor = sizes[i] / d;
    if (!Number.isInteger(factor) || factor < 1)
      throw new Error(
        `axis ${i} goes from ${d} to ${sizes[i]}: Model Lab resizes by whole factors in nearest mode (×2, ×3…)`,
      );
    return factor;
  });
}

/**
 * A reduction, its axes from the attribute (opsets 13 to 17) or the input (opset 18), every axis
 * when there are none; composed by `compose` with the engine's opset 17 ops.
 */
function reduction(compose: (b: GraphBuilder, x: Value, axes: number[], keep: boolean) => Value): OpImporter {
  return {
    attrs: ['axes', 'keepdims', 'noop_with_empty_axes'],
    check: (n) => (attrInt(n, 'noop_with_empty_axes', 0) ? 'noop_with_empty_axes 1' : undefined),
    emit: (c) => {
      const x = c.x(0);
      const axes = c.node.inputs[1]
        ? c.ints(1, 'axes')
        : (attrInts(c.node, 'axes') ?? x.shape.map((_, i) => i));
      return [compose(c.b, x, axes, attrInt(c.node, 'keepdims', 1) === 1)];
    },
  };
}

/** Ops evaluated at import time (fold.ts) once their inputs are known: no graph node. */
export const FOLDED_OPS = [
  'Constant',
  'Shape',
  'Size',
  'ConstantOfShape',
  'Range',
  'ReduceProd',
  'Mod',
  'ScatterND',
  'NonZero',
];
export const SUPPORTED_OPS = Object.keys(OPS);

/** ONNX gate order → the engine's (PyTorch's): LSTM i,o,f,c → i,f,g,o; GRU z,r,h → r,z,n. */
const GATE_ORDER = { LSTM: [0, 2, 3, 1], GRU: [1, 0, 2] };

function recurrent(op: 'LSTM' | 'GRU'): OpImporter {
  return {
    attrs: [
      'hidden_size',
      'direction',
      'layout',
      'activations',
      'clip',
      'input_forget',
      'linear_before_reset',
    ],
    check: (n) =>
      first(
        attrInt(n, 'layout', 0) !== 0 ? 'layout 1 (batch-first)' : undefined,
        n.attrs.activations !== undefined ? 'custom activations' : undefined,
        n.attrs.clip !== undefined ? 'cell clipping' : undefined,
        attrInt(n, 'input_forget', 0) ? 'input_forget 1' : undefined,
        op === 'GRU' && attrInt(n, 'linear_before_reset', 0) !== 1
          ? "linear_before_reset 0 (Model Lab runs PyTorch's GRU, linear_before_reset 1)"
          : undefined,
        n.inputs[4] ? 'sequence_lens (sequences of different lengths)' : undefined,
        op === 'LSTM' && n.inputs[7] ? 'peephole weights' : undefined,
      ),
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const [steps, batch] = x.shape;
      const hidden = c.x(2).shape[2];
      const rows = (op === 'LSTM' ? 4 : 3) * hidden;
      const direction = attrStr(c.node, 'direction', 'forward');
      // Each direction's block of a [num_directions, …] input, without that axis.
      const block = (v: Value, d: number) =>
        b.reshape(b.op('Slice', [v, b.ints([d]), b.ints([d + 1]), b.ints([0])])[0], v.shape.slice(1));
      const part = (v: Value, k: number, size: number) =>
        b.op('Slice', [v, b.ints([k * size]), b.ints([(k + 1) * size]), b.ints([0])])[0];
      const reorder = (v: Value) =>
        b.op(
          'Concat',
          GATE_ORDER[op].map((k) => part(v, k, hidden)),
          { axis: 0 },
        )[0];
      // A reverse direction reads the sequence backwards and writes its outputs back in time
      // order: Gather along time (its gradient rule is a one-hot product, [T, T] here).
      const backwards = b.ints([...Array(steps).keys()].reverse());
      const reversed = (timeMajor: Value) => b.op('Gather', [timeMajor, backwards], { axis: 0 })[0];
      const run = (d: number, reverse: boolean) => {
        const bias = c.input(3) ? block(c.x(3), d) : b.constant(new Float32Array(2 * rows), [2 * rows]);
        const weights: RecurrentWeights = {
          wIh: reorder(block(c.x(1), d)),
          wHh: reorder(block(c.x(2), d)),
          bIh: reorder(part(bias, 0, rows)),
          bHh: reorder(part(bias, 1, rows)),
        };
        const state = (i: number) => (c.input(i) ? block(c.x(i), d) : b.zeros([batch, hidden]));
        const batchMajor = b.transpose(reverse ? reversed(x) : x, [1, 0, 2]);
        const train = c.mode === 'train';
        const out =
          op === 'LSTM'
            ? lstmSequence(b, batchMajor, weights, state(5), state(6), train)
            : gruSequence(b, batchMajor, weights, state(5), train);
        const timeMajor = b.transpose(out.sequence, [1, 0, 2]);
        return { ...out, sequence: reverse ? reversed(timeMajor) : timeMajor };
      };
      const outs =
        direction === 'bidirectional' ? [run(0, false), run(1, true)] : [run(0, direction === 'reverse')];
      // Y [T, num_directions, B, H], Y_h and Y_c [num_directions, B, H].
      const unsqueeze = (v: Value, axis: number) => b.op('Unsqueeze', [v, b.ints([axis])])[0];
      const stack = (vs: Value[], axis: number) => {
        const parts = vs.map((v) => unsqueeze(v, axis));
        return parts.length === 1 ? parts[0] : b.op('Concat', parts, { axis })[0];
      };
      const results = [
        stack(
          outs.map((o) => o.sequence),
          1,
        ),
        stack(
          outs.map((o) => o.last),
          0,
        ),
      ];
      const cells = outs.flatMap((o) => ('cell' in o ? [o.cell as Value] : []));
      if (cells.length) results.push(stack(cells, 0));
      return results;
    },
  };
}

/**
 * Why a node of the file cannot be imported, or undefined when it can: the first reason among
 * the nodes of its opset-13 form (olderOpsets.ts), the node itself from opset 13 on.
 */
export function whyRefused(node: OnnxNode, opset: number): string | undefined {
  return opset13Forms(node, opset)
    .map((form) => checkNode(form, opset))
    .find(Boolean);
}

/** Why a node in opset-13 form cannot be imported, or undefined when it can. */
function checkNode(node: OnnxNode, opset: number): string | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return `op of the custom domain ${node.domain}`;
  if (FOLDED_OPS.includes(node.opType)) return undefined;
  const importer = OPS[node.opType];
  if (!importer) return 'no importer or gradient rule for this op';
  if (node.opType === 'Gelu' && opset < 20) return 'Gelu needs opset 20';
  const extra = Object.keys(node.attrs).filter((a) => !(importer.attrs ?? []).includes(a));
  if (extra.length) return `attribute${extra.length > 1 ? 's' : ''} ${extra.join(', ')} not supported`;
  return importer.check?.(node);
}
