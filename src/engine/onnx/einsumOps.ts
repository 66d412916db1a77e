/**
 * Einsum (torch.einsum) lowered onto ops that have gradient rules, so models written with it
 * train (the equation's labels: einsumEquation.ts):
 *  - a letter repeated within one operand ('ii->i', a diagonal) is a product with a constant
 *    identity mask, summed over one of the two axes;
 *  - letters that one operand alone has and the output lacks are summed first (ReduceSum);
 *  - operands are contracted left to right, each pair as one batched MatMul: the left one
 *    transposed to [batch, left-only, contracted] and the right one to [batch, contracted,
 *    right-only], both reshaped to 3-D, the product reshaped back. Each intermediate keeps the
 *    letters the output or a later operand still needs. A letter of size 1 in one operand of a
 *    pair and n in the other is expanded to n first (numpy broadcasting);
 *  - the result is transposed to the output's order.
 */
import type { GraphBuilder, Value } from '../graph/builder';
import { einsumLabels, parseEinsum } from './einsumEquation';
import { attrStr, type OpImporter } from './opImporter';

/** A value with a label per axis. */
interface Labelled {
  value: Value;
  labels: string[];
}

const product = (dims: number[]) => dims.reduce((a, d) => a * d, 1);

/** How a message names a label: a letter, or one of the axes '...' stands for. */
const named = (label: string) => (label.startsWith('…') ? `'...' axis ${label.slice(1)}` : `letter ${label}`);

/** The size of `label` in x, 0 when x lacks it. */
const sizeIn = (x: Labelled, label: string) => x.value.shape[x.labels.indexOf(label)] ?? 0;

/** Refuses a label whose sizes disagree across operands other than by being 1 (broadcast). */
function checkSizes(operands: Labelled[], equation: string): void {
  const sizes = new Map<string, number>();
  for (const x of operands)
    x.labels.forEach((label, axis) => {
      const [had, size] = [sizes.get(label), x.value.shape[axis]];
      if (had === undefined || had === 1) sizes.set(label, size);
      else if (size !== had && size !== 1)
        throw new Error(
          `the ${named(label)} of '${equation}' has size ${had} in one operand and ${size} in another; they must agree, or one be 1`,
        );
    });
}

/** x with each repeated label reduced to its diagonal. */
function takeDiagonals(b: GraphBuilder, x: Labelled, equation: string): Labelled {
  for (;;) {
    const second = x.labels.findIndex((label, i) => x.labels.indexOf(label) < i);
    if (second < 0) return x;
    const first = x.labels.indexOf(x.labels[second]);
    const n = x.value.shape[first];
    if (x.value.shape[second] !== n)
      throw new Error(
        `the ${named(x.labels[first])} of '${equation}' is repeated in one operand over axes of sizes ${n} and ${x.value.shape[second]}; a diagonal needs them equal`,
      );
    const eye = Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
    const maskShape = x.value.shape.map((_, i) => (i === first || i === second ? n : 1));
    const masked = b.mul(x.value, b.constant(eye, maskShape, x.value.dtype));
    x = { value: b.reduceSum(masked, [second]), labels: x.labels.filter((_, i) => i !== second) };
  }
}

/** x summed over the labels `keep` rejects. */
function sumOut(b: GraphBuilder, x: Labelled, keep: (label: string) => boolean): Labelled {
  const axes = x.labels.flatMap((label, i) => (keep(label) ? [] : [i]));
  if (!axes.length) return x;
  return { value: b.reduceSum(x.value, axes), labels: x.labels.filter(keep) };
}

/** x's value with its axes in `order` (no node when they already are). */
function arrange(b: GraphBuilder, x: Labelled, order: string[]): Value {
  const perm = order.map((label) => x.labels.indexOf(label));
  return perm.every((p, i) => p === i) ? x.value : b.transpose(x.value, perm);
}

/** The product of a and c over their shared labels, keeping those in `keep` as batch axes. */
function contract(b: GraphBuilder, a: Labelled, c: Labelled, keep: Set<string>): Labelled {
  const [inA, inC] = [new Set(a.labels), new Set(c.labels)];
  a = sumOut(b, a, (label) => inC.has(label) || keep.has(label));
  c = sumOut(b, c, (label) => inA.has(label) || keep.has(label));
  const size = (label: string) => Math.max(sizeIn(a, label), sizeIn(c, label));
  const dims = (labels: string[]) => labels.map(size);
  const broadcast = (x: Labelled): Labelled => {
    const full = dims(x.labels);
    if (full.every((d, i) => d === x.value.shape[i])) return x;
    return { value: b.op('Expand', [x.value, b.ints(full)])[0], labels: x.labels };
  };
  const shared = a.labels.filter((label) => inC.has(label));
  const batch = shared.filter((label) => keep.has(label));
  const summed = shared.filter((label) => !keep.has(label));
  const left = a.labels.filter((label) => !inC.has(label));
  const right = c.labels.filter((label) => !inA.has(label));
  const [batchSize, summedSize] = [product(dims(batch)), product(dims(summed))];
  const a3 = b.reshape(arrange(b, broadcast(a), [...batch, ...left, ...summed]), [
    batchSize,
    product(dims(left)),
    summedSize,
  ]);
  const c3 = b.reshape(arrange(b, broadcast(c), [...batch, ...summed, ...right]), [
    batchSize,
    summedSize,
    product(dims(right)),
  ]);
  const labels = [...batch, ...left, ...right];
  return { value: b.reshape(b.matmul(a3, c3), dims(labels)), labels };
}

export const EINSUM_OPS: Record<string, OpImporter> = {
  Einsum: {
    attrs: ['equation'],
    check: (node) => {
      if (typeof node.attrs.equation !== 'string') return 'no equation attribute';
      try {
        parseEinsum(attrStr(node, 'equation', ''), node.inputs.length);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
    emit: (c) => {
      const { b } = c;
      const equation = attrStr(c.node, 'equation', '');
      const values = c.node.inputs.map((_, i) => c.x(i));
      const labels = einsumLabels(
        equation,
        values.map((v) => v.rank),
      );
      const diagonals = values.map((value, i) =>
        takeDiagonals(b, { value, labels: labels.operands[i] }, equation),
      );
      checkSizes(diagonals, equation);
      const inOutput = new Set(labels.output);
      const sharedOrKept = (label: string) =>
        inOutput.has(label) || diagonals.filter((x) => x.labels.includes(label)).length > 1;
      const operands = diagonals.map((x) => sumOut(b, x, sharedOrKept));
      let result = operands[0];
      for (let i = 1; i < operands.length; i++) {
        const needed = new Set([...labels.output, ...operands.slice(i + 1).flatMap((x) => x.labels)]);
        result = contract(b, result, operands[i], needed);
      }
      result = sumOut(b, result, (label) => inOutput.has(label));
      return [arrange(b, result, labels.output)];
    },
  },
};
