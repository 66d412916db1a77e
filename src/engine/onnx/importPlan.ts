/**
 * Decides, once per model and before any graph is built, what an imported ONNX model trains:
 *  - which graph input is fed and which output the loss reads (`input` / `output` when the
 *    graph has several);
 *  - which initializers are parameters: every float initializer that is not frozen and
 *    reaches the output through float values (masks compared with Equal, shapes, Dropout
 *    ratios and BatchNormalization's running statistics stay constants);
 *  - which initializers are buffers: BatchNormalization's running mean and variance, constants
 *    to the gradient but updated by every training step (PyTorch's train-mode semantics);
 *  - whether every op is supported, listing all refused nodes at once.
 *
 * Other graph inputs that nodes read (an attention mask) are filled with one value each, and
 * named axes of an example take their sizes from `sizes` (importInputs.ts).
 *
 * PyTorch's exporter stores equal initializers once and names the others as Identity outputs
 * (every LayerNorm weight starts as ones): each such name becomes its own parameter, as it is
 * in the PyTorch model.
 */
import { NO_GRADIENT } from '../autodiff/rules';
import type { FillValue } from '../../contract/experiment';
import type { DType } from '../graph/dtypes';
import { OnnxImportError, type UnsupportedNode } from './importError';
import { FOLDED_OPS, SUPPORTED_OPS, whyRefused } from './importOps';
import { checkSizes, exampleDims, planFilledInputs, type FilledInput } from './importInputs';
import { headParameters } from './newHead';
import { NEWEST_OPSET, OLDEST_OPSET, opset13Nodes } from './olderOpsets';
import type { OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnxFile';

export interface ImportOptions {
  /** Graph input fed with the data (needed when the graph has several). */
  input?: string;
  /** Graph output the loss reads (needed when the graph has several). */
  output?: string;
  /** Initializer names or name prefixes kept fixed, or 'backbone': all but the last layer's (newHead.ts). */
  freeze?: string[] | 'backbone';
  /** Sizes of named axes after the batch axis (a symbolic sequence length), by axis name. */
  sizes?: Record<string, number>;
  /** Graph inputs besides the fed one, each fed this value at every position. */
  fill?: Record<string, FillValue>;
}

export interface ImportedParameter {
  /** The name in Model Lab's state and checkpoints (the ONNX name, made safe). */
  name: string;
  /** The initializer (or Identity output) it comes from in the ONNX file. */
  onnxName: string;
  shape: number[];
  data: Float32Array;
}

/**
 * A float initializer a training step updates without a gradient: a BatchNormalization's
 * running mean or variance. It is in the training state, checkpoints and the exported model.
 */
export type ImportedBuffer = ImportedParameter;

export interface ImportPlan {
  model: OnnxModel;
  input: OnnxValueInfo;
  /** The input's dims without the batch axis, all numbers. */
  inputShape: number[];
  inputKind: 'float' | 'tokens';
  /** The other inputs nodes read, each one value everywhere. */
  filled: FilledInput[];
  /** The sizes of named axes the plan was made with (`ImportOptions.sizes`). */
  sizes: Record<string, number>;
  output: OnnxValueInfo;
  /** Nodes to import, in graph order (Identity copies of initializers removed). */
  nodes: OnnxNode[];
  parameters: ImportedParameter[];
  /** Running statistics of BatchNormalization nodes (also listed in `constants`, their values at import). */
  buffers: ImportedBuffer[];
  /** Initializers that stay fixed (frozen, integer, or not on a gradient path), by ONNX name. */
  constants: Map<string, OnnxTensor>;
  /** Identity outputs that became parameters of their own: output name → initializer read. */
  identityCopies: Map<string, string>;
}

/** Names the engine's own graphs use for their inputs and outputs. */
const RESERVED = new Set([
  'x',
  'y',
  'lr',
  'dropout_key',
  'xs',
  'ys',
  'lrs',
  'dropout_keys',
  'step',
  'input',
  'output',
  'loss',
  'losses',
  'loss_per_example',
]);

const isFloat = (dtype: string) => dtype === 'float32' || dtype === 'float64';

export function planImport(model: OnnxModel, options: ImportOptions = {}): ImportPlan {
  if (model.opset < OLDEST_OPSET || model.opset > NEWEST_OPSET)
    throw new OnnxImportError(
      'unsupported',
      `the model uses ONNX opset ${model.opset}; Model Lab imports opsets ${OLDEST_OPSET} to ${NEWEST_OPSET}: export again with opset_version=17`,
    );
  checkOps(model);
  checkWiring(model);
  const fill = options.fill ?? {};
  const sizes = options.sizes ?? {};
  checkSizes(model, sizes);
  // The fed input is the named one, else the only one not filled.
  const input = pick(
    'input',
    options.input === undefined ? model.inputs.filter((v) => !(v.name in fill)) : model.inputs,
    options.input,
  );
  const output = pick('output', model.outputs, options.output);
  const inputShape = exampleDims(input, sizes);
  if (input.dtype !== 'float32' && input.dtype !== 'int64')
    throw new OnnxImportError(
      'unsupported',
      `input ${input.name} holds ${input.dtype}; Model Lab feeds float32 features or int64 token ids`,
    );
  const filled = planFilledInputs(model, input, fill, sizes);

  const initializers = new Map(model.initializers);
  const identityCopies = new Map<string, string>();
  const nodes = opset13Nodes(model.nodes, model.opset).filter((n) => {
    if (
      n.opType === 'Identity' &&
      initializers.has(n.inputs[0]) &&
      !model.nodes.some((m) => m !== n && m.outputs.includes(n.outputs[0]))
    ) {
      identityCopies.set(n.outputs[0], n.inputs[0]);
      return false;
    }
    return true;
  });
  for (const [copy, source] of identityCopies) initializers.set(copy, initializers.get(source)!);

  const reaching = gradientSources(nodes, output.name);
  const { freeze = [] } = options;
  const head = freeze === 'backbone' ? new Set(headParameters(model, output.name)) : undefined;
  const frozen = (name: string) =>
    head ? !head.has(name) : (freeze as string[]).some((f) => name === f || name.startsWith(f));
  const parameters: ImportedParameter[] = [];
  const constants = new Map<string, OnnxTensor>();
  const buffers: ImportedBuffer[] = [];
  const used = new Set<string>();
  const runningStats = new Set(
    nodes.filter((n) => n.opType === 'BatchNormalization').flatMap((n) => n.inputs.slice(3, 5)),
  );
  const entry = (onnxName: string, t: OnnxTensor): ImportedParameter => ({
    name: safeName(onnxName, used),
    onnxName,
    shape: [...t.dims],
    data: Float32Array.from(t.data as Float32Array),
  });
  for (const [onnxName, t] of initializers) {
    if (isFloat(t.dtype) && reaching.has(onnxName) && !frozen(onnxName)) {
      parameters.push(entry(onnxName, t));
      continue;
    }
    constants.set(onnxName, t);
    // Running statistics keep updating when the layer's weights are frozen, as in PyTorch.
    if (isFloat(t.dtype) && runningStats.has(onnxName)) buffers.push(entry(onnxName, t));
  }
  if (parameters.length === 0)
    throw new OnnxImportError(
      'no-parameters',
      (freeze.length
        ? 'every float initializer is frozen'
        : 'the graph has no float initializers on the path to its output') + ': there is nothing to train',
    );
  return {
    model,
    input,
    inputShape,
    inputKind: input.dtype === 'int64' ? 'tokens' : 'float',
    filled,
    sizes,
    output,
    nodes,
    parameters,
    buffers,
    constants,
    identityCopies,
  };
}

function pick(what: 'input' | 'output', values: OnnxValueInfo[], wanted?: string): OnnxValueInfo {
  const names = values.map((v) => v.name).join(', ');
  if (wanted !== undefined) {
    const found = values.find((v) => v.name === wanted);
    if (!found)
      throw new OnnxImportError(
        'shape',
        `the graph has no ${what} named ${wanted}; its ${what}s are: ${names}`,
      );
    return found;
  }
  if (values.length !== 1)
    throw new OnnxImportError(
      'shape',
      what === 'input'
        ? `the graph has ${values.length} inputs (${names}); name the one the data feeds with "input", and give the others a value with "fill"`
        : `the graph has ${values.length} outputs (${names}); name the one to use with "output"`,
    );
  return values[0];
}

/**
 * Every value a node reads must come from an input, an initializer or an earlier node, and the
 * outputs must be produced: a truncated or hand-edited file fails here, naming the first gap.
 */
function checkWiring(model: OnnxModel): void {
  const known = new Set([...model.inputs.map((v) => v.name), ...model.initializers.keys()]);
  for (const node of model.nodes) {
    const missing = node.inputs.find((name) => name && !known.has(name));
    if (missing !== undefined)
      throw new OnnxImportError(
        'corrupt',
        `node ${node.name} (${node.opType}) reads ${missing}, which no input, initializer or earlier node provides: the file is incomplete; export it again`,
      );
    node.outputs.forEach((name) => known.add(name));
  }
  const unproduced = model.outputs.find((v) => !known.has(v.name));
  if (unproduced)
    throw new OnnxImportError(
      'corrupt',
      `no node produces the graph output ${unproduced.name}: the file is incomplete; export it again`,
    );
}

/** What a user whose model is refused can do, in their PyTorch code. */
const WHAT_TO_DO = `To fine-tune it, build those layers in PyTorch from layers whose ops are supported, or export again with another opset_version (${OLDEST_OPSET} to ${NEWEST_OPSET}), then import the new file.`;

/** Refuses every node whose op (or attribute) has no importer, all listed in one error. */
function checkOps(model: OnnxModel): void {
  const refused: UnsupportedNode[] = [];
  for (const node of model.nodes) {
    const reason = whyRefused(node, model.opset);
    if (reason) refused.push({ opType: node.opType, node: node.name, index: node.index, reason });
  }
  if (refused.length === 0) return;
  // One line per op and reason: a Swin Transformer repeats the same refused op 70 times.
  const groups = new Map<string, UnsupportedNode[]>();
  for (const r of refused)
    groups.set(`${r.opType}\n${r.reason}`, [...(groups.get(`${r.opType}\n${r.reason}`) ?? []), r]);
  const lines = [...groups.values()].map(([r, ...more]) => {
    const total = model.nodes.length;
    if (!more.length) return `${r.opType} (node ${r.node}, ${r.index + 1} of ${total}): ${r.reason}`;
    const named = [r, ...more].slice(0, 3).map((n) => n.node);
    const rest = more.length + 1 > 3 ? `, … ${more.length + 1 - 3} more` : '';
    return `${r.opType} ×${more.length + 1} (nodes ${named.join(', ')}${rest}; the first is ${r.index + 1} of ${total}): ${r.reason}`;
  });
  throw new OnnxImportError(
    'unsupported',
    `Model Lab cannot train this model: ${lines.join('; ')}. ${WHAT_TO_DO} Supported ops: ${[...SUPPORTED_OPS, ...FOLDED_OPS].sort().join(', ')}`,
    refused,
  );
}

/**
 * Names (initializers included) from which the output is reached through float values:
 * the candidates for parameters. Walks nodes backwards from the output.
 */
function gradientSources(nodes: OnnxNode[], output: string): Set<string> {
  const reached = new Set([output]);
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k];
    if (!n.outputs.some((o) => reached.has(o)) || NO_GRADIENT.has(n.opType)) continue;
    if (n.opType === 'Cast' && !isFloatType(n.attrs.to as number)) continue;
    // CastLike's second input gives only the element type.
    if (n.opType === 'CastLike') {
      reached.add(n.inputs[0]);
      continue;
    }
    n.inputs.forEach((name, i) => {
      if (!name) return;
      if (n.opType === 'Where' && i === 0) return;
      if (n.opType === 'BatchNormalization' && i >= 3) return;
      if (n.opType === 'Dropout' && i >= 1) return;
      // A Resize's roi, scales and sizes say where to read, not what: constants even as initializers.
      if (n.opType === 'Resize' && i >= 1) return;
      reached.add(name);
    });
  }
  return reached;
}

const isFloatType = (onnxType: number) => onnxType === 1 || onnxType === 11;

function safeName(onnxName: string, used: Set<string>): string {
  let name = onnxName.replace(/[^A-Za-z0-9_.:/-]/g, '_') || 'param';
  if (RESERVED.has(name) || name.endsWith('__next')) name = `${name}_param`;
  let unique = name;
  for (let i = 1; used.has(unique); i++) unique = `${name}_${i}`;
  used.add(unique);
  return unique;
}

export const dtypeOfInput = (plan: ImportPlan): DType => (plan.inputKind === 'tokens' ? 'int64' : 'float32');

/**
 * How many token ids a model reading int64 ids knows: the rows of the smallest table its input
 * indexes (an embedding's Gather); 2 when no Gather reads the input directly.
 */
export function tokenIdRange(plan: ImportPlan): number {
  const sizes = plan.nodes
    .filter((n) => n.opType === 'Gather' && n.inputs[1] === plan.input.name)
    .map(
      (n) =>
        plan.parameters.find((p) => p.onnxName === n.inputs[0])?.shape[0] ??
        plan.constants.get(n.inputs[0])?.dims[0] ??
        0,
    )
    .filter((d) => d > 0);
  return sizes.length ? Math.min(...sizes) : 2;
}
