/**
 * Splits with at most a few outputs, for the WebGPU execution provider. Its Split kernel binds the
 * input and every output as storage buffers of one shader, and a shader may bind only as many as
 * the adapter allows (WebGPU's default is 8; an NVIDIA H200 through Vulkan allowed 16). The
 * optimizer's flat state (model/flatState.ts) is split into one tensor per parameter, 18 for the
 * Transformer template, whose training step failed on WebGPU with "Too many storage buffers in
 * shader". This pass turns each wider Split into a tree of narrow ones: a first Split into
 * groups of neighbouring parts, then a Split of each group. The values the graph reads keep
 * their names and shapes, so nothing downstream changes.
 */
import type { GraphBuilder, Node, Value } from './builder';
import { rewriteNodes } from './rewriteNodes';

/** One input and seven outputs: eight storage buffers, WebGPU's default limit. */
export const WEBGPU_SPLIT_OUTPUTS = 7;

function splitAxis(node: Node): number {
  const rank = node.inputs[0]!.rank;
  const axis = Number(node.attrs.axis ?? 0);
  return axis < 0 ? axis + rank : axis;
}

/** `outputs` in up to `width` groups of neighbouring values, in order. */
function groups(outputs: Value[], width: number): Value[][] {
  const size = Math.ceil(outputs.length / width);
  const result: Value[][] = [];
  for (let i = 0; i < outputs.length; i += size) result.push(outputs.slice(i, i + size));
  return result;
}

/** Splits `input` along `axis` into exactly `outputs` (existing values), with Splits of at most `width` outputs. */
function splitInto(b: GraphBuilder, input: Value, outputs: Value[], axis: number, width: number): void {
  const parts = outputs.length <= width ? outputs.map((o) => [o]) : groups(outputs, width);
  const sizes = parts.map((part) => part.reduce((sum, o) => sum + o.shape[axis], 0));
  // A copy: `op` returns the node's own outputs array, which the loop rewrites.
  const made = [...b.op('Split', [input, b.ints(sizes)], { axis }, { outputs: parts.length })];
  const split = made[0].producer!;
  parts.forEach((part, i) => {
    if (part.length === 1) split.outputs[i] = part[0];
    else splitInto(b, made[i], part, axis, width);
  });
}

/**
 * Rewrites every Split of `g` and of its subgraphs (a fused-steps Loop's body) with more than
 * `width` outputs, in place and in order; returns how many.
 */
export function narrowSplits(g: GraphBuilder, width = WEBGPU_SPLIT_OUTPUTS): number {
  if (width < 2) throw new Error(`a Split needs room for two outputs, not ${width}`);
  return rewriteNodes(g, (b, node) => {
    const outputs = node.outputs.filter((o): o is Value => o !== undefined);
    const wide = node.opType === 'Split' && node.domain === '' && node.outputs.length > width;
    if (!wide || outputs.length !== node.outputs.length) return false;
    splitInto(b, node.inputs[0]!, outputs, splitAxis(node), width);
    return true;
  });
}
