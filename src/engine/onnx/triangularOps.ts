/**
 * Ops over the triangle of an axis pair, with constant masks built at import time:
 *  - CumSum (torch.cumsum; HF-style position ids) of floats as a product with a constant
 *    triangular matrix along its axis, so MatMul's rule gives the gradient (a cumulative sum the
 *    other way); integer ones (position ids from an attention mask) carry no gradient and run as
 *    onnxruntime's CumSum;
 *  - Trilu (torch.tril / triu: causal masks) as a Where with the constant triangle.
 */
import type { Value } from '../graph/builder';
import { attrInt, passAttrs, type OpImporter } from './opImporter';
import { keptTriangle } from './triangle';

const FLOATS = ['float32', 'float64'];

/** The constant scalar integer of input i, or `fallback` when the input is omitted. */
const scalarInput = (c: Parameters<OpImporter['emit']>[0], i: number, what: string, fallback: number) =>
  c.node.inputs[i] ? c.ints(i, what)[0] : fallback;

export const TRIANGULAR_OPS: Record<string, OpImporter> = {
  CumSum: {
    attrs: ['exclusive', 'reverse'],
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const given = scalarInput(c, 1, 'the axis', 0);
      const axis = given < 0 ? given + x.rank : given;
      if (!FLOATS.includes(x.dtype))
        return b.op('CumSum', [x, b.ints([axis])], passAttrs(c.node, ['exclusive', 'reverse']));
      const [exclusive, reverse] = [attrInt(c.node, 'exclusive', 0), attrInt(c.node, 'reverse', 0)];
      const length = x.shape[axis];
      // sums[i][j] = 1 where output j adds input i: i ≤ j (i < j exclusive; ≥, > in reverse).
      const sums = Array.from({ length: length * length }, (_, k) => {
        const [i, j] = [Math.floor(k / length), k % length];
        const d = reverse ? i - j : j - i;
        return d > 0 || (d === 0 && !exclusive) ? 1 : 0;
      });
      const last = x.rank - 1;
      const swap = x.shape.map((_, i) => (i === axis ? last : i === last ? axis : i));
      const moved = axis === last ? x : b.transpose(x, swap);
      const y = b.matmul(moved, b.constant(sums, [length, length], x.dtype));
      return [axis === last ? y : b.transpose(y, swap)];
    },
  },
  Trilu: {
    attrs: ['upper'],
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      if (x.rank < 2) throw new Error(`its input has rank ${x.rank}; it needs a matrix or a stack of them`);
      const k = scalarInput(c, 1, 'the diagonal offset k', 0);
      const upper = attrInt(c.node, 'upper', 1) === 1;
      const [rows, cols] = x.shape.slice(-2);
      const keep = keptTriangle(rows, cols, k, upper);
      const zero: Value = b.constant([0], [], x.dtype);
      return b.op('Where', [b.constant(keep, [rows, cols], 'bool'), x, zero]);
    },
  },
};
