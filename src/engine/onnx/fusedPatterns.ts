/**
 * Subgraphs of an exported model that the importer builds as one engine composite instead of
 * node by node, so that autodiff differentiates the whole with one rule (fewer full-size passes
 * in the backward) while the function stays the same. The exported model.onnx is the user's
 * original file (exportImported.ts): these rewrite only Model Lab's training and eval graphs.
 *
 * The exact GELU, which PyTorch's exporter writes before opset 20 as
 *   Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)
 * (or with x·(1/√2), the constant first, or 0.5 multiplied into x first), becomes the engine's
 * gelu (layers/activations.ts, the `gelu` composite rule). It is taken only when nothing outside
 * reads its intermediate values.
 *
 * A LayerNormalization over the last axis whose output only a MatMul by a weight reads (and the
 * product only a bias Add) becomes the engine's normalized linear (layers/basic.ts
 * `foldNormalization`): the norm runs with unit scale, its scale γ and shift β folded into the
 * weight and bias, diag(γ)·W and β·W + b, with the same parameters. The norm's backward then reuses
 * its output as x̂, and dγ, dβ come from weight-sized products instead of passes over every row.
 *
 * A Softmax of Where(mask, −∞, scores) (PyTorch's masked_fill before softmax, as causal attention
 * writes it) becomes Softmax(scores + (0 or −∞)) when the mask is a constant: the same values, and
 * the Add passes the gradient through while the Where's backward was a pass over every score
 * zeroing the masked ones, which the softmax's gradient already makes exactly zero (y = 0 there).
 *
 * A MatMul reading an operand through a Transpose that moves the last axis to the second-to-last
 * place (PyTorch's k.transpose(-2, -1) after the heads' transpose: one [0, 2, 3, 1] copy, with the
 * innermost axis strided, onnxruntime's slow path both ways) becomes onnxruntime's FusedMatMul
 * reading that operand transposed in place (transA / transB), after the rest of the permutation
 * alone ([0, 2, 1, 3], which keeps rows contiguous, or nothing); a Mul or Div by a constant scalar
 * that alone reads the product (the attention scale 1/√d) becomes its alpha. Its gradient is
 * FusedMatMul's rule, as the Transformer template's scores. Only CPU training graphs may use the
 * contrib op (GraphBuilder.contribOps), so the caller asks for this one only there (`contribOps`).
 */
import { constantScalar } from './fold';
import type { OnnxNode, OnnxTensor } from './onnxFile';

interface Pattern {
  /** The value the composite reads. */
  input: string;
  /** The pattern's nodes; the last one's output is the composite's. */
  nodes: OnnxNode[];
}

export type FusedPattern =
  | (Pattern & { kind: 'gelu' })
  | (Pattern & {
      kind: 'normalizedLinear';
      epsilon: number;
      /** The norm's scale and shift, the linear's weight [features, units] and bias [units]. */
      gamma: string;
      beta?: string;
      weight: string;
      bias?: string;
      /** The MatMul among `nodes`: the product the composite computes (model summary, FLOPs). */
      product: OnnxNode;
    })
  | (Pattern & {
      kind: 'maskedSoftmax';
      /** The Where's condition, and whether −∞ is where it holds (else where it does not). */
      mask: string;
      fillWhere: boolean;
      /** The Where and Softmax nodes, to build as they are when the mask is not a constant. */
      where: OnnxNode;
      softmax: OnnxNode;
    })
  | (Pattern & {
      kind: 'transposedProduct';
      /** Each operand: the value read, the permutation still applied to it, whether it is read transposed. */
      operands: [ProductOperand, ProductOperand];
      alpha: number;
      /** The MatMul among `nodes` (model summary, FLOPs). */
      product: OnnxNode;
    });

export interface ProductOperand {
  name: string;
  perm?: number[];
  transposed: boolean;
}

const close = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) <= 1e-6 * Math.abs(b);

/** Patterns found among `nodes` (graph order), keyed by their last node. */
export function findFusedPatterns(
  nodes: OnnxNode[],
  constants: Map<string, OnnxTensor>,
  graphOutputs: string[],
  /** The dims of an initializer (parameter or constant); undefined for any other value. */
  initializerDims: (name: string) => number[] | undefined,
  /** The graph may use onnxruntime's com.microsoft ops (CPU training graphs): FusedMatMul products. */
  contribOps = false,
): Map<OnnxNode, FusedPattern> {
  const producer = new Map<string, OnnxNode>();
  const readers = new Map<string, number>();
  const readBy = new Map<string, OnnxNode>();
  for (const node of nodes) {
    for (const output of node.outputs) producer.set(output, node);
    for (const input of node.inputs) {
      readers.set(input, (readers.get(input) ?? 0) + 1);
      readBy.set(input, node);
    }
  }
  for (const output of graphOutputs) readers.set(output, (readers.get(output) ?? 0) + 1);
  /** The one node reading `name`, if it is `opType` and nothing else (nor the graph output) reads it. */
  const onlyReader = (name: string, opType: string): OnnxNode | undefined => {
    const node = readBy.get(name);
    return node?.opType === opType && readers.get(name) === 1 ? node : undefined;
  };

  /** A scalar constant: a one-element initializer or Constant node output. */
  const scalar = (name: string) => constantScalar(name, constants, (n) => producer.get(n));
  /** The node producing `name` if it is `opType` and only one node reads its output. */
  const only = (name: string, opType: string): OnnxNode | undefined => {
    const node = producer.get(name);
    return node?.opType === opType && readers.get(name) === 1 ? node : undefined;
  };
  /** For a two-input node, [the input other than the constant, the constant's value]. */
  const withScalar = (node: OnnxNode): [string, number] | undefined => {
    const [a, b] = node.inputs;
    const [sa, sb] = [scalar(a), scalar(b)];
    if (sb !== undefined && sa === undefined) return [a, sb];
    if (sa !== undefined && sb === undefined) return [b, sa];
    return undefined;
  };

  /** `phi2` = 1 + erf(x/√2) for some x: [x, its nodes]. */
  const onePlusErf = (name: string): [string, OnnxNode[]] | undefined => {
    const add = only(name, 'Add');
    const added = add && withScalar(add);
    if (!add || !added || !close(added[1], 1)) return undefined;
    const erf = only(added[0], 'Erf');
    const scale = erf && (only(erf.inputs[0], 'Div') ?? only(erf.inputs[0], 'Mul'));
    const scaled = scale && withScalar(scale);
    if (!erf || !scale || !scaled) return undefined;
    const divisor = scale.opType === 'Div' ? scaled[1] : 1 / scaled[1];
    if (scale.opType === 'Div' && scalar(scale.inputs[1]) === undefined) return undefined; // a constant over x
    return close(divisor, Math.SQRT2) ? [scaled[0], [scale, erf, add]] : undefined;
  };

  /** The initializer's dims if it is one of `rank`. */
  const dimsOf = (name: string | undefined, rank: number): number[] | undefined => {
    const dims = name ? initializerDims(name) : undefined;
    return dims?.length === rank ? dims : undefined;
  };

  const found = new Map<OnnxNode, FusedPattern>();
  for (const norm of nodes) {
    const linear = norm.opType === 'LayerNormalization' && normalizedLinear(norm);
    if (linear) found.set(linear.nodes[linear.nodes.length - 1], linear);
  }
  /** LayerNormalization(x, γ, β) on the last axis → MatMul(·, W) → optionally Add(·, b), as one composite. */
  function normalizedLinear(norm: OnnxNode): FusedPattern | undefined {
    const [x, gamma, beta] = norm.inputs;
    const [normalized, ...statistics] = norm.outputs;
    const features = dimsOf(gamma, 1)?.[0];
    if (norm.attrs.axis !== undefined && norm.attrs.axis !== -1) return undefined;
    if (features === undefined || (beta && dimsOf(beta, 1)?.[0] !== features)) return undefined;
    if (statistics.some((name) => name && readers.has(name))) return undefined;
    const product = onlyReader(normalized, 'MatMul');
    const weight = product?.inputs[1];
    const units = dimsOf(weight, 2);
    if (!product || product.inputs[0] !== normalized || !units || units[0] !== features) return undefined;
    const add = onlyReader(product.outputs[0], 'Add');
    const bias = add?.inputs.find((name) => name !== product.outputs[0]);
    const biased = add && bias && dimsOf(bias, 1)?.[0] === units[1];
    return {
      kind: 'normalizedLinear',
      input: x,
      nodes: biased ? [norm, product, add] : [norm, product],
      epsilon: typeof norm.attrs.epsilon === 'number' ? norm.attrs.epsilon : 1e-5,
      gamma,
      beta: beta || undefined,
      weight: weight!,
      bias: biased ? bias : undefined,
      product,
    };
  }

  for (const softmax of nodes) {
    const where = softmax.opType === 'Softmax' ? only(softmax.inputs[0], 'Where') : undefined;
    if (!where) continue;
    const [mask, whenTrue, whenFalse] = where.inputs;
    const fillWhere = scalar(whenTrue) === -Infinity;
    if (!fillWhere && scalar(whenFalse) !== -Infinity) continue;
    const input = fillWhere ? whenFalse : whenTrue;
    found.set(softmax, {
      kind: 'maskedSoftmax',
      input,
      nodes: [where, softmax],
      mask,
      fillWhere,
      where,
      softmax,
    });
  }

  for (const last of nodes) {
    if (last.opType !== 'Mul' || last.inputs.length !== 2) continue;
    // Mul(Mul(x, 1 + erf), 0.5) or Mul(Mul(x, 0.5), 1 + erf), either operand order at each Mul.
    const halved = withScalar(last);
    const inner = halved && close(halved[1], 0.5) ? only(halved[0], 'Mul') : undefined;
    if (inner) {
      for (const [x, phi2] of [inner.inputs, [...inner.inputs].reverse()]) {
        const erf = onePlusErf(phi2);
        if (erf && erf[0] === x) {
          found.set(last, { kind: 'gelu', input: x, nodes: [...erf[1], inner, last] });
          break;
        }
      }
      continue;
    }
    for (const [half, phi2] of [last.inputs, [...last.inputs].reverse()]) {
      const mul = only(half, 'Mul');
      const scaled = mul && withScalar(mul);
      const erf = scaled && close(scaled[1], 0.5) ? onePlusErf(phi2) : undefined;
      if (mul && scaled && erf && erf[0] === scaled[0]) {
        found.set(last, { kind: 'gelu', input: scaled[0], nodes: [...erf[1], mul, last] });
        break;
      }
    }
  }
  const claimed = new Set([...found.values()].flatMap((p) => p.nodes));
  if (contribOps) {
    for (const product of nodes) {
      const pattern = product.opType === 'MatMul' && !claimed.has(product) && transposedProduct(product);
      if (pattern) found.set(pattern.nodes[pattern.nodes.length - 1], pattern);
    }
  }
  /** MatMul(op(a), op(b)) with at least one Transpose read in place, and a constant scale after it, as one FusedMatMul. */
  function transposedProduct(product: OnnxNode): FusedPattern | undefined {
    const transposes: OnnxNode[] = [];
    const operands = product.inputs.map((name): ProductOperand => {
      const transpose = only(name, 'Transpose');
      const attr = transpose?.attrs.perm;
      const perm = Array.isArray(attr) && attr.every((a) => typeof a === 'number') ? attr : undefined;
      const rank = perm?.length ?? 0;
      // Only a permutation that puts the last axis second-to-last: the slow copy this avoids.
      if (!transpose || !perm || rank < 2 || perm[rank - 2] !== rank - 1) return { name, transposed: false };
      transposes.push(transpose);
      const rest = [...perm.slice(0, -2), perm[rank - 1], perm[rank - 2]];
      return {
        name: transpose.inputs[0],
        perm: rest.every((axis, i) => axis === i) ? undefined : rest,
        transposed: true,
      };
    });
    if (!transposes.length || operands.length !== 2) return undefined;
    const after = onlyReader(product.outputs[0], 'Mul') ?? onlyReader(product.outputs[0], 'Div');
    const scale = after && !claimed.has(after) ? after : undefined;
    const scaled = scale && withScalar(scale);
    const factor =
      scale && scaled && (scale.opType === 'Mul' || scale.inputs[0] === product.outputs[0])
        ? scale.opType === 'Mul'
          ? scaled[1]
          : 1 / scaled[1]
        : undefined;
    return {
      kind: 'transposedProduct',
      input: operands[0].name,
      nodes: [...transposes, product, ...(factor !== undefined ? [scale!] : [])],
      operands: operands as [ProductOperand, ProductOperand],
      alpha: factor ?? 1,
      product,
    };
  }
  return found;
}
