/**
 * Convolutions through onnxruntime's blocked-layout (NCHWc) CPU kernels. onnxruntime's own graph
 * optimizer moves a Conv to them only when its filters are constant, which a training graph's
 * weights, fed every step, never are; its plain NCHW Conv ran 1.5–5× slower here at 16–32
 * channels. This pass, run on a CPU training graph after autodiff, replaces each Conv whose
 * channels and filters both fill whole blocks (forward convolutions and the stride-1 input
 * gradients, which are Convs too) with ReorderInput → com.microsoft.nchwc Conv → ReorderOutput,
 * the filters reordered in the graph every step (they are small) into the kernel's OIHWBiBo
 * layout: [F/B, C/B, kh, kw, B (channels), B (filters)]. Exported models never see it.
 */
import type { GraphBuilder, Node, Value } from './builder';
import { rewriteNodes } from './rewriteNodes';

export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

/** The plain 2-D float32 convolutions (group 1, explicit pads) whose C and F are multiples of `block`. */
function convertible(node: Node, block: number): boolean {
  if (node.opType !== 'Conv' || node.domain !== '') return false;
  const [x, w] = node.inputs;
  if (!x || !w || x.dtype !== 'float32' || x.rank !== 4 || w.rank !== 4) return false;
  const group = node.attrs.group ?? 1;
  const autoPad = node.attrs.auto_pad ?? 'NOTSET';
  if (group !== 1 || autoPad !== 'NOTSET') return false;
  const [filters, channels] = w.shape;
  return channels % block === 0 && filters % block === 0;
}

/** W [F, C, kh, kw] in the blocked kernel's OIHWBiBo order, kept 4-D as the kernel reads its shape. */
function blockedFilters(b: GraphBuilder, w: Value, block: number): Value {
  const [f, c, kh, kw] = w.shape;
  const split = b.reshape(w, [f / block, block, c / block, block, kh, kw]);
  return b.reshape(b.transpose(split, [0, 2, 4, 5, 3, 1]), w.shape);
}

function rewrite(b: GraphBuilder, node: Node, block: number): void {
  const [x, w, bias] = node.inputs as [Value, Value, Value | undefined];
  const y = node.outputs[0]!;
  const blocked = (shape: number[]) => ({ domain: NCHWC_DOMAIN, types: [{ dtype: x.dtype, shape }] });
  const input = b.op('ReorderInput', [x], {}, blocked(x.shape))[0];
  const conv = b.op('Conv', [input, blockedFilters(b, w, block), bias], node.attrs, blocked(y.shape))[0];
  const out = b.op('ReorderOutput', [conv], { channels: y.shape[1] }, blocked(y.shape));
  // Consumers read the Conv's own output value: the last node now produces it.
  out[0].producer!.outputs[0] = y;
}

/**
 * Rewrites the convertible Convs of `g` and of its subgraphs (a fused-steps Loop's body) in
 * place, keeping the node order; returns how many. `block`: onnxruntime's NCHWc block size on
 * this machine (runtime/nchwcBlock.ts), below 2 when it has none.
 */
export function useNchwcConvs(g: GraphBuilder, block: number): number {
  if (block < 2) return 0;
  return rewriteNodes(g, (b, node) => {
    if (!convertible(node, block)) return false;
    rewrite(b, node, block);
    return true;
  });
}
