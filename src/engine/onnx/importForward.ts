/**
 * Builds an imported model's forward pass into an engine graph, node by node in graph order:
 * shape arithmetic is folded to constants (fold.ts), every other node goes through the op
 * table (importOps.ts). Parameters come from the caller (`param`), so the same import serves
 * the training step (parameters as state inputs), eval graphs and planning. Buffers (running
 * statistics) come from `buffer` when the caller keeps them as state, else they are constants;
 * a train-mode node reports their new values through `updateBuffer`. Filled inputs (an attention
 * mask) are constants of the batch's shape, or computed from the token ids (a mask of the padding).
 */
import type { GraphBuilder, Value } from '../graph/builder';
import { dropout } from '../layers/dropout';
import { withLayerNormalizations } from './decomposedLayerNorm';
import { fold, knownFromTensor, knownToData, type Known } from './fold';
import { OnnxImportError } from './importError';
import { fusedForm } from './fusedForms';
import { findFusedPatterns } from './fusedPatterns';
import { OPS } from './importOps';
import type { OpContext, OpImporter } from './opImporter';
import type { ImportedBuffer, ImportedParameter, ImportPlan } from './importPlan';
import type { OnnxNode } from './onnxFile';

export interface ImportForwardOptions {
  b: GraphBuilder;
  mode: 'train' | 'eval';
  param(p: ImportedParameter): Value;
  /** A running statistic as a graph value (state input); absent: the value in the file, as a constant. */
  buffer?(buffer: ImportedBuffer): Value;
  /** int64 scalar: train-mode Dropout masks are a function of it (layers/dropout.ts). */
  dropoutKey?: Value;
  /** A train-mode node's new value of a buffer; a later update of the same buffer replaces it. */
  updateBuffer?(buffer: ImportedBuffer, value: Value): void;
  /** Called after each imported (not folded) node with its input and output shapes (model summary). */
  onNode?(
    node: OnnxNode,
    inputShapes: (number[] | undefined)[],
    outputShapes: (number[] | undefined)[],
  ): void;
}

/** Constants larger than this stay tensors (initializers) and are never folded. */
const KNOWN_LIMIT = 1 << 16;

export function importForward(plan: ImportPlan, x: Value, options: ImportForwardOptions): Value {
  const { b, mode } = options;
  const values = new Map<string, Value>([[plan.input.name, x]]);
  const known = new Map<string, Known>();
  const params = new Map(plan.parameters.map((p) => [p.onnxName, p]));
  const buffers = new Map(options.buffer ? plan.buffers.map((p) => [p.onnxName, p]) : []);
  /** Outputs the op table does not produce (Dropout's mask): an error only when something reads one. */
  const unproduced = new Map<string, string>();
  let dropoutSite = 0;
  // Filled inputs are constants of the batch's shape: masks compared with Equal fold away. A
  // mask of the padding is computed from the token ids: 0 where they are the pad token; a pair's
  // token type ids also 0 up to and including the first separator (idFill, importInputs.ts).
  for (const f of plan.filled) {
    if (typeof f.value === 'object') {
      const [isPadding] = b.op('Equal', [x, b.scalar(f.value.padToken, x.dtype)]);
      let kept = b.unary('Not', isPadding);
      if (f.value.secondTextAfter !== undefined) {
        const [isSeparator] = b.op('Equal', [x, b.scalar(f.value.secondTextAfter, x.dtype)]);
        const [before] = b.op('CumSum', [b.cast(isSeparator, 'int64'), b.scalar(-1, 'int64')], {
          exclusive: 1,
        });
        const [second] = b.op('Greater', [before, b.scalar(0, 'int64')]);
        [kept] = b.op('And', [kept, second]);
      }
      values.set(f.name, b.cast(kept, f.dtype));
      continue;
    }
    const dims = f.batched ? [x.shape[0], ...f.dims] : f.dims;
    const count = dims.reduce((a, n) => a * n, 1);
    known.set(f.name, { dtype: f.dtype, dims, values: new Array<number>(count).fill(f.value) });
  }

  const knownOf = (name: string): Known | undefined => {
    if (!name) return undefined;
    const k = known.get(name);
    if (k) return k;
    const t = plan.constants.get(name);
    if (!t || t.data.length > KNOWN_LIMIT) return undefined;
    const made = knownFromTensor(t);
    known.set(name, made);
    return made;
  };
  const valueOf = (name: string, node: string): Value => {
    const v = values.get(name);
    if (v) return v;
    const missing = unproduced.get(name);
    if (missing) throw new OnnxImportError('unsupported', `${node} reads ${missing}, which is not supported`);
    const p = params.get(name);
    const buffer = buffers.get(name);
    let made: Value | undefined;
    if (p) made = options.param(p);
    else if (buffer) made = options.buffer!(buffer);
    else {
      const k = known.get(name);
      const t = plan.constants.get(name);
      if (k) made = b.constant(knownToData(k), k.dims, k.dtype);
      else if (t) made = b.constant(t.data, t.dims, t.dtype);
    }
    if (!made)
      throw new OnnxImportError(
        'corrupt',
        `node ${node} reads ${name}, which no node, input or initializer provides`,
      );
    values.set(name, made);
    return made;
  };
  const shapeOf = (name: string) =>
    values.get(name)?.shape ??
    known.get(name)?.dims ??
    params.get(name)?.shape ??
    plan.constants.get(name)?.dims;

  const graphOutputs = plan.model.outputs.map((o) => o.name);
  const initializerDims = (name: string) => params.get(name)?.shape ?? plan.constants.get(name)?.dims;
  // A layer norm exported as its arithmetic (opsets before 17) is built as one LayerNormalization.
  const nodes = withLayerNormalizations(plan.nodes, plan.constants, graphOutputs, initializerDims);
  // Subgraphs built as one engine composite (fusedPatterns.ts): their other nodes are not built.
  const patterns = findFusedPatterns(
    nodes,
    plan.constants,
    graphOutputs,
    initializerDims,
    mode === 'train' && b.root.contribOps,
  );
  const inside = new Set([...patterns.values()].flatMap((p) => p.nodes.slice(0, -1)));

  const total = plan.model.nodes.length;
  for (const node of nodes) {
    if (inside.has(node)) continue;
    const where = `${node.opType} node ${node.name} (${node.index + 1} of ${total})`;
    const inputsKnown = node.inputs.map(knownOf);
    const folded = fold(node, inputsKnown, shapeOf);
    if (folded) {
      folded.forEach((k, i) => node.outputs[i] && known.set(node.outputs[i], k));
      continue;
    }
    const pattern = patterns.get(node);
    const importer: Pick<OpImporter, 'emit'> | undefined = pattern
      ? { emit: () => [fusedForm(b, pattern, (name) => valueOf(name, node.name), knownOf)] }
      : OPS[node.opType];
    if (!importer)
      throw new OnnxImportError(
        'shape',
        `${where}: its inputs are not constants once the batch is fixed, so it cannot be folded away`,
      );
    const context: OpContext = {
      b,
      node,
      mode,
      input: (i) => (node.inputs[i] ? valueOf(node.inputs[i], node.name) : undefined),
      x(i) {
        if (!node.inputs[i]) throw new Error(`input ${i} is missing`);
        return valueOf(node.inputs[i], node.name);
      },
      known: (i) => inputsKnown[i],
      updateBuffer(i, value) {
        const buffer = buffers.get(node.inputs[i]);
        if (!buffer) return;
        // Later readers of the name (a module applied twice) see the updated statistic.
        values.set(buffer.onnxName, value);
        options.updateBuffer?.(buffer, value);
      },
      dropout(v, ratio) {
        if (ratio === 0) return v;
        if (!options.dropoutKey) throw new Error('train-mode graphs need a dropout key');
        return dropout(b, v, ratio, options.dropoutKey, dropoutSite++);
      },
      ints(i, what) {
        const k = inputsKnown[i];
        if (!k) throw new Error(`${what} (input ${i}) must be a constant once the batch is fixed`);
        return k.values;
      },
    };
    let outputs: (Value | undefined)[];
    const scope = b.scope;
    b.scope = `${scope}${node.name.replace(/^\//, '')}/`;
    try {
      outputs = importer.emit(context);
    } catch (error) {
      if (error instanceof OnnxImportError) throw error;
      throw new OnnxImportError(
        'shape',
        `${where}: ${(error as Error).message}${fixedBatchHint(plan, x.shape[0])}`,
      );
    } finally {
      b.scope = scope;
    }
    node.outputs.forEach((name, i) => {
      if (!name) return;
      const v = outputs[i];
      if (v) values.set(name, v);
      else unproduced.set(name, `the output ${i} (${name}) of ${where}`);
    });
    // A normalized linear's norm and product are inside its composite: the summary still lists
    // them, the norm with its scale and shift, the product with its weight and multiply-adds.
    if (pattern?.kind === 'normalizedLinear') {
      const [norm] = pattern.nodes;
      options.onNode?.(
        norm,
        norm.inputs.map((name) => (name ? shapeOf(name) : undefined)),
        [shapeOf(pattern.input)],
      );
      options.onNode?.(
        pattern.product,
        [shapeOf(pattern.input), shapeOf(pattern.weight)],
        [outputs[0]?.shape],
      );
    }
    options.onNode?.(
      node,
      node.inputs.map((name) => (name ? shapeOf(name) : undefined)),
      outputs.map((v) => v?.shape),
    );
  }
  const output = valueOf(plan.output.name, 'the graph output');
  if (output.dtype !== 'float32')
    throw new OnnxImportError(
      'unsupported',
      `output ${plan.output.name} holds ${output.dtype}; Model Lab trains on float32 outputs`,
    );
  return output;
}

/**
 * Why a node may not fit when the file fixes the batch (exported without dynamic_axes) and the
 * graph is built for another: shapes the exporter wrote as constants (x.view(x.size(0), -1)
 * becomes a reshape to [1, -1]) follow the exported batch, not this one.
 */
function fixedBatchHint(plan: ImportPlan, batch: number): string {
  const fixed = plan.input.dims[0];
  if (typeof fixed !== 'number' || fixed === batch) return '';
  return `. The file fixes the batch at ${fixed} (${plan.input.name} is [${plan.input.dims.join(', ')}]) and its shapes follow it: export again with dynamic_axes={"${plan.input.name}": {0: "batch"}, "${plan.output.name}": {0: "batch"}}`;
}
