/**
 * auto_pad (models converted from TensorFlow and Keras, and the ONNX Model Zoo's older CNNs write
 * SAME_UPPER, SAME_LOWER or VALID instead of pads) as the explicit pads it stands for, once the
 * input's spatial sizes are known: SAME keeps ⌈size / stride⌉ outputs, the padding split evenly
 * with the odd one at the end (UPPER) or the beginning (LOWER); VALID pads nothing.
 */
import type { OnnxNode } from './onnxFile';
import { attrInts, attrStr, type OpContext, type OpImporter } from './opImporter';

export const AUTO_PADS = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];

/** The node with its auto_pad replaced by pads for an input of these spatial sizes and this kernel. */
export function withExplicitPads(node: OnnxNode, spatial: number[], kernel: number[]): OnnxNode {
  const autoPad = attrStr(node, 'auto_pad', 'NOTSET');
  if (autoPad === 'NOTSET') return node;
  const { auto_pad: _, ...attrs } = node.attrs;
  const strides = attrInts(node, 'strides') ?? spatial.map(() => 1);
  const dilations = attrInts(node, 'dilations') ?? spatial.map(() => 1);
  const begins: number[] = [];
  const ends: number[] = [];
  spatial.forEach((size, i) => {
    const reach = (kernel[i] - 1) * dilations[i] + 1;
    const outputs = Math.ceil(size / strides[i]);
    const total = autoPad === 'VALID' ? 0 : Math.max(0, (outputs - 1) * strides[i] + reach - size);
    const begin = autoPad === 'SAME_LOWER' ? Math.ceil(total / 2) : Math.floor(total / 2);
    begins.push(begin);
    ends.push(total - begin);
  });
  return { ...node, attrs: { ...attrs, pads: [...begins, ...ends] } };
}

/**
 * The importer run on the node with explicit pads; the kernel is kernel_shape, else (a Conv may
 * leave it out) the spatial sizes of the filters, input 1.
 */
export function explicitPadding(importer: OpImporter): OpImporter {
  const kernelOf = (c: OpContext) => attrInts(c.node, 'kernel_shape') ?? c.x(1).shape.slice(2);
  return {
    ...importer,
    emit: (c) => importer.emit({ ...c, node: withExplicitPads(c.node, c.x(0).shape.slice(2), kernelOf(c)) }),
  };
}

/** Refuses an auto_pad value ONNX does not define. */
export const checkAutoPad = (node: OnnxNode): string | undefined => {
  const autoPad = attrStr(node, 'auto_pad', 'NOTSET');
  return AUTO_PADS.includes(autoPad) ? undefined : `auto_pad ${autoPad}`;
};
