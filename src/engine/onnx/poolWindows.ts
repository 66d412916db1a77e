/**
 * The windows of an imported MaxPool / AveragePool, run by the engine's floor-mode pooling
 * (whose gradient rules know nothing of ceil_mode or of uneven divisors):
 *  - ceil_mode (PyTorch's ceil_mode=True: SqueezeNet, GoogLeNet) keeps a last, partial window
 *    wherever one starts inside the input or its begin padding; extending the end padding by what
 *    that window lacks gives the same windows in floor mode.
 *  - AveragePool divides each window's sum by its count: the window's overlap with the input and
 *    the node's own padding when count_include_pad is 1, with the input alone when it is 0; the
 *    part of a ceil-mode window past the end padding never counts (onnxruntime and PyTorch
 *    alike). The engine's AveragePool over the extended padding divides by the kernel's size
 *    everywhere, so each output is rescaled by kernel size / count, a constant per position.
 */
import type { OnnxNode } from './onnxFile';
import { attrInt, attrInts } from './opImporter';

interface Windows {
  kernel: number[];
  strides: number[];
  /** ONNX order: every axis' begin, then every axis' end. */
  pads: number[];
}

function windowsOf(node: OnnxNode): Windows {
  const kernel = attrInts(node, 'kernel_shape') ?? [];
  return {
    kernel,
    strides: attrInts(node, 'strides') ?? kernel.map(() => 1),
    pads: attrInts(node, 'pads') ?? [...kernel, ...kernel].map(() => 0),
  };
}

/** The node's pads with ceil_mode turned into more end padding (unchanged in floor mode). */
export function floorModePads(node: OnnxNode, spatial: number[]): number[] {
  const { kernel, strides, pads } = windowsOf(node);
  if (!attrInt(node, 'ceil_mode', 0)) return pads;
  const ends = spatial.map((size, i) => {
    const [k, s, begin, end] = [kernel[i], strides[i], pads[i], pads[i + spatial.length]];
    let out = Math.ceil((size + begin + end - k) / s) + 1;
    if ((out - 1) * s >= size + begin) out--;
    return Math.max(end, (out - 1) * s + k - size - begin);
  });
  return [...pads.slice(0, spatial.length), ...ends];
}

/**
 * Kernel size / count for each output of an AveragePool (row-major over the output's spatial
 * axes), or undefined where every window counts the whole kernel.
 */
export function averageRescale(node: OnnxNode, spatial: number[]): number[] | undefined {
  const { kernel, strides, pads } = windowsOf(node);
  const extended = floorModePads(node, spatial);
  const includePad = attrInt(node, 'count_include_pad', 0) === 1;
  const counts = spatial.map((size, i) => {
    const [k, s, begin] = [kernel[i], strides[i], pads[i]];
    const outputs = Math.floor((size + begin + extended[i + spatial.length] - k) / s) + 1;
    return Array.from({ length: outputs }, (_, o) => {
      const start = o * s - begin;
      const end = Math.min(start + k, size + pads[i + spatial.length]);
      return includePad ? end - start : Math.min(end, size) - Math.max(start, 0);
    });
  });
  const area = kernel.reduce((a, b) => a * b, 1);
  const perWindow = counts.reduce<number[]>((prev, axis) => prev.flatMap((p) => axis.map((n) => p * n)), [1]);
  return perWindow.every((count) => count === area) ? undefined : perWindow.map((count) => area / count);
}
