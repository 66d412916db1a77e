/**
 * Resize in linear mode (nn.Upsample / F.interpolate with mode 'linear' or 'bilinear') on the
 * last one or two axes. Along one axis, linear interpolation is a fixed [out, in] matrix M (each
 * row holds the two weights of the inputs its output reads), so the resize is x·Mᵀ on the last
 * axis and M·x on the one before: MatMuls with constants, whose gradient rules give dx = dy·M and
 * Mᵀ·dy. The matrix follows ONNX's coordinate transformation (onnxruntime computes the same).
 */
import type { GraphBuilder, Value } from '../graph/builder';

export const LINEAR_TRANSFORMS = ['half_pixel', 'pytorch_half_pixel', 'asymmetric', 'align_corners'];

/** Where output i reads in the input, per ONNX's coordinate_transformation_mode. */
function sourceOf(i: number, inLen: number, outLen: number, scale: number, transform: string): number {
  switch (transform) {
    case 'align_corners':
      return outLen === 1 ? 0 : (i * (inLen - 1)) / (outLen - 1);
    case 'asymmetric':
      return i / scale;
    case 'pytorch_half_pixel':
      return outLen > 1 ? (i + 0.5) / scale - 0.5 : 0;
    default:
      return (i + 0.5) / scale - 0.5;
  }
}

/** The [out, in] interpolation matrix of one axis, sources clamped to the input's extent. */
export function linearResizeMatrix(
  inLen: number,
  outLen: number,
  scale: number,
  transform: string,
): number[] {
  const m = new Array<number>(outLen * inLen).fill(0);
  for (let i = 0; i < outLen; i++) {
    const x = Math.min(Math.max(sourceOf(i, inLen, outLen, scale, transform), 0), inLen - 1);
    const low = Math.floor(x);
    const high = Math.min(low + 1, inLen - 1);
    m[i * inLen + low] += 1 - (x - low);
    m[i * inLen + high] += x - low;
  }
  return m;
}

/**
 * x resized to `sizes` (one per axis) with the given scales; only the last two axes may change
 * size (an error naming the axis otherwise).
 */
export function linearResize(
  b: GraphBuilder,
  x: Value,
  sizes: number[],
  scales: number[],
  transform: string,
): Value {
  let y = x;
  x.shape.forEach((inLen, axis) => {
    const outLen = sizes[axis];
    if (outLen === inLen && scales[axis] === 1) return;
    if (axis < x.rank - 2)
      throw new Error(`linear resizing of axis ${axis} (only the last two axes, height and width)`);
    const m = linearResizeMatrix(inLen, outLen, scales[axis], transform);
    if (axis === x.rank - 1) {
      const mt = Array.from(
        { length: inLen * outLen },
        (_, k) => m[(k % outLen) * inLen + Math.floor(k / outLen)],
      );
      y = b.matmul(y, b.constant(mt, [inLen, outLen], x.dtype));
    } else y = b.matmul(b.constant(m, [outLen, inLen], x.dtype), y);
  });
  return y;
}
