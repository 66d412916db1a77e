/**
 * The matrix products of an imported model's nodes (MatMul, Gemm, Conv, ConvTranspose, and the
 * input and recurrent products of LSTM and GRU), from the shapes the engine builds each node with
 * (importedNodes.ts). The model summary counts their forward FLOPs; the bench counts a training
 * step's, which needs to know what each operand is: a product of two activations (attention
 * scores, probabilities·values, a recurrent state times its weights) differentiates both sides,
 * while a product with a weight (an initializer) gets a weight gradient only if the weight trains
 * and an input gradient only if something before it trains.
 */
import { importedNodes, type ImportedNode } from './importedNodes';
import type { ImportPlan } from './importPlan';

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Multiply-adds of one imported node at the batch its shapes were built with. */
export function nodeMacs(imported: ImportedNode): number {
  return nodeProducts(imported).reduce((a, p) => a + p.macs, 0);
}

interface Product {
  macs: number;
  /** Input positions of the node's operands; `recurrent`: the state is the other side. */
  operands: [number, number] | 'recurrent';
}

function nodeProducts({ node, inputShapes, outputShapes }: ImportedNode): Product[] {
  const out = outputShapes[0];
  const [a, w] = inputShapes;
  if (!out || !a) return [];
  switch (node.opType) {
    case 'MatMul':
      return [{ macs: size(out) * (a.at(-1) ?? 0), operands: [0, 1] }];
    case 'Gemm':
      return [{ macs: size(out) * (node.attrs.transA === 1 ? a[0] : a[1]), operands: [0, 1] }];
    case 'Conv':
      return w ? [{ macs: size(out) * size(w.slice(1)), operands: [0, 1] }] : [];
    // W [in, out, kh, kw]: every input element meets out·kh·kw weights.
    case 'ConvTranspose':
      return w ? [{ macs: size(a) * size(w.slice(1)), operands: [0, 1] }] : [];
    case 'LSTM':
    case 'GRU': {
      const r = inputShapes[2];
      if (!w || !r) return [];
      // W [directions, gates·hidden, features], R [directions, gates·hidden, hidden]; X [steps, batch, …] unless layout 1.
      const steps = node.attrs.layout === 1 ? a[1] : a[0];
      const perFeature = steps * w[0] * w[1];
      return [
        { macs: perFeature * w[2], operands: [0, 1] },
        { macs: perFeature * r[2], operands: 'recurrent' },
      ];
    }
    default:
      return [];
  }
}

export interface ImportedProduct {
  node: string;
  opType: string;
  macs: number;
  /** Both operands vary with the example (neither is an initializer alone). */
  activations: boolean;
  /** The weight operand depends on a trained parameter (activation·weight products). */
  weightTrains: boolean;
  /** The activation operand depends on a trained parameter, so its gradient is needed (activation·weight products). */
  inputNeedsGradient: boolean;
}

/** Every matrix product of the model's forward pass at `batch`, in graph order. */
export function importedProducts(plan: ImportPlan, batch: number): ImportedProduct[] {
  // Which values vary with the example and which depend on a trained parameter, over the whole
  // graph (the nodes built inside a composite too); a shape is neither.
  const varies = new Set([plan.input.name]);
  const trains = new Set(plan.parameters.map((p) => p.onnxName));
  for (const node of plan.nodes) {
    if (node.opType === 'Shape' || node.opType === 'Size') continue;
    const reads = node.inputs.filter(Boolean);
    for (const output of node.outputs.filter(Boolean)) {
      if (reads.some((name) => varies.has(name))) varies.add(output);
      if (reads.some((name) => trains.has(name))) trains.add(output);
    }
  }
  return importedNodes(plan, batch).flatMap((imported) => {
    const { node } = imported;
    return nodeProducts(imported).map(({ macs, operands }) => {
      const [x, w] = operands === 'recurrent' ? ['', ''] : operands.map((i) => node.inputs[i] ?? '');
      const activations = operands === 'recurrent' || (varies.has(x) && varies.has(w));
      const [activation, weight] = varies.has(x) ? [x, w] : [w, x];
      return {
        node: node.name,
        opType: node.opType,
        macs,
        activations,
        weightTrains: !activations && trains.has(weight),
        inputNeedsGradient: !activations && trains.has(activation),
      };
    });
  });
}
