/**
 * LRN (AlexNet / GoogLeNet's local response normalization, nn.LocalResponseNorm): each element
 * divided by (bias + α/size · Σ x² over `size` neighbouring channels)^β. The windowed sum over
 * channels is a product with a constant band matrix [C, C] on x² seen as [N, C, rest], so the
 * MatMul, Pow and Div rules give the gradient, the cross-channel terms included.
 */
import { attrFloat, attrInt, type OpImporter } from './opImporter';

/** band[c][c'] = 1 where channel c' lies in c's window [c − ⌊(size−1)/2⌋, c + ⌈(size−1)/2⌉] (ONNX's bounds). */
function windowBand(channels: number, size: number): number[] {
  const before = Math.floor((size - 1) / 2);
  const after = Math.ceil((size - 1) / 2);
  return Array.from({ length: channels * channels }, (_, k) => {
    const [row, col] = [Math.floor(k / channels), k % channels];
    return col >= row - before && col <= row + after ? 1 : 0;
  });
}

export const LRN_OP: OpImporter = {
  attrs: ['alpha', 'beta', 'bias', 'size'],
  check: (n) => {
    const size = attrInt(n, 'size', 0);
    if (!(size >= 1)) return 'a missing or non-positive size';
    // The exported model.onnx keeps the LRN node; onnxruntime refuses it with an even size.
    return size % 2
      ? undefined
      : `an even size ${size} (onnxruntime, which runs the exported model, takes odd sizes only)`;
  },
  emit: (c) => {
    const { b, node } = c;
    const x = c.x(0);
    if (x.rank < 3) throw new Error(`its input has rank ${x.rank}; it needs [batch, channels, …]`);
    const size = attrInt(node, 'size', 1);
    const [n, channels] = x.shape;
    const s = (v: number) => b.scalar(v, x.dtype);
    const squares = b.reshape(b.mul(x, x), [n, channels, x.size / (n * channels)]);
    const band = b.constant(windowBand(channels, size), [channels, channels], x.dtype);
    const windowSums = b.reshape(b.matmul(band, squares), x.shape);
    const scale = b.add(
      s(attrFloat(node, 'bias', 1)),
      b.mul(s(attrFloat(node, 'alpha', 1e-4) / size), windowSums),
    );
    return [b.div(x, b.op('Pow', [scale, s(attrFloat(node, 'beta', 0.75))])[0])];
  },
};
