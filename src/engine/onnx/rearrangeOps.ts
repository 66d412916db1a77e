/**
 * Ops that move or repeat elements, composed of Reshape, Transpose, Expand and ReduceMax, whose
 * gradient rules route dy back (Expand's sums the copies):
 *  - DepthToSpace (nn.PixelShuffle, mode CRD; DCR is ONNX's default) and SpaceToDepth: a
 *    Reshape to six axes, a Transpose, a Reshape back;
 *  - Tile (x.repeat) with constant repeats: x as [1, d₀, 1, d₁, …] expanded to [r₀, d₀, r₁, d₁, …];
 *  - GlobalMaxPool (the maximum over every spatial axis), a ReduceMax keeping the axes.
 */
import type { Value } from '../graph/builder';
import { attrInt, attrStr, type OpContext, type OpImporter } from './opImporter';

/** x [N, C, H, W] as a 2-D image; an error naming the rank otherwise. */
function image(c: OpContext): Value {
  const x = c.x(0);
  if (x.rank !== 4)
    throw new Error(`its input has rank ${x.rank}; it needs [batch, channels, height, width]`);
  return x;
}

export const REARRANGE_OPS: Record<string, OpImporter> = {
  DepthToSpace: {
    attrs: ['blocksize', 'mode'],
    check: (n) => {
      const mode = attrStr(n, 'mode', 'DCR');
      return mode === 'DCR' || mode === 'CRD' ? undefined : `mode ${mode} (DCR and CRD only)`;
    },
    emit: (c) => {
      const { b } = c;
      const x = image(c);
      const s = attrInt(c.node, 'blocksize', 0);
      const [n, channels, h, w] = x.shape;
      if (!(s > 0) || channels % (s * s))
        throw new Error(`${channels} channels do not split into blocks of ${s}×${s}`);
      const depth = channels / (s * s);
      // DCR: channel = (i·s + j)·depth + d; CRD: channel = d·s² + i·s + j (i, j the offset in the block).
      const [split, perm] =
        attrStr(c.node, 'mode', 'DCR') === 'CRD'
          ? [
              [n, depth, s, s, h, w],
              [0, 1, 4, 2, 5, 3],
            ]
          : [
              [n, s, s, depth, h, w],
              [0, 3, 4, 1, 5, 2],
            ];
      return [b.reshape(b.transpose(b.reshape(x, split), perm), [n, depth, h * s, w * s])];
    },
  },
  SpaceToDepth: {
    attrs: ['blocksize'],
    emit: (c) => {
      const { b } = c;
      const x = image(c);
      const s = attrInt(c.node, 'blocksize', 0);
      const [n, channels, h, w] = x.shape;
      if (!(s > 0) || h % s || w % s)
        throw new Error(`its ${h}×${w} input does not split into blocks of ${s}×${s}`);
      const blocks = b.reshape(x, [n, channels, h / s, s, w / s, s]);
      return [b.reshape(b.transpose(blocks, [0, 3, 5, 1, 2, 4]), [n, channels * s * s, h / s, w / s])];
    },
  },
  Tile: {
    emit: (c) => {
      const { b } = c;
      const x = c.x(0);
      const repeats = c.ints(1, 'repeats');
      if (repeats.length !== x.rank || repeats.some((r) => !(r >= 1)))
        throw new Error(`its repeats [${repeats}] need one count of 1 or more per axis of [${x.shape}]`);
      if (repeats.every((r) => r === 1)) return [x];
      const spread = b.reshape(
        x,
        x.shape.flatMap((d) => [1, d]),
      );
      const copies = b.op('Expand', [spread, b.ints(x.shape.flatMap((d, i) => [repeats[i], d]))])[0];
      return [
        b.reshape(
          copies,
          x.shape.map((d, i) => d * repeats[i]),
        ),
      ];
    },
  },
  GlobalMaxPool: {
    emit: (c) => {
      const x = c.x(0);
      const spatial = x.shape.map((_, i) => i).slice(2);
      return c.b.op('ReduceMax', [x], { axes: spatial, keepdims: 1 });
    },
  },
};
