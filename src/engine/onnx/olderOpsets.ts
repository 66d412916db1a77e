/**
 * Files exported at opsets 7 to 12 (the ONNX Model Zoo's classic CNNs, older PyTorch exports)
 * import as the opset-13 graph they compute: each node whose form changed is rewritten into the
 * forms the op table (importOps.ts) reads, before anything checks or builds it. What changed, by
 * the opset that changed it:
 *  - a list moved from an attribute to an input: Squeeze / Unsqueeze axes, ReduceSum axes and
 *    Split sizes (13), Slice's starts / ends / axes (10), Pad's pads and value and Clip's bounds
 *    (11), Dropout's ratio (12); the input becomes a Constant node, which the importer folds;
 *  - Softmax and LogSoftmax (13) stopped flattening their input into 2-D at `axis` (default 1):
 *    an older one is Flatten, the op over the last axis, and a Reshape back to the input's shape,
 *    which is the same where `axis` is the last axis and the 2-D semantics elsewhere;
 *  - Upsample (7 to 9) and Resize-10 read their scales with asymmetric coordinates (and the floor
 *    of them in nearest mode): opset 13's Resize with those modes spelled out;
 *  - BatchNormalization's `spatial` (before 9) is dropped where it is 1, its only meaning since.
 * The rewritten nodes keep the original's position (`index`), so messages name it as the file
 * has it; the file itself is never changed (a fine-tuned export keeps the original graph).
 */
import type { OnnxAttr, OnnxNode } from './onnxFile';

/**
 * The opsets Model Lab imports: older ones through the rewrites here. Opsets 21 to 25 changed
 * the ops Model Lab imports by new element types only, except GroupNormalization (21: a scale
 * and bias per channel, told apart by their size, groupNormalization.ts); they import as they are.
 */
export const OLDEST_OPSET = 7;
export const NEWEST_OPSET = 25;

/** The model's nodes in opset-13 forms (the nodes themselves from opset 13 on). */
export function opset13Nodes(nodes: OnnxNode[], opset: number): OnnxNode[] {
  return opset >= 13 ? nodes : nodes.flatMap((node) => opset13Forms(node, opset));
}

/** One node in opset-13 forms: itself, or the nodes that compute it. */
export function opset13Forms(node: OnnxNode, opset: number): OnnxNode[] {
  if (opset >= 13 || (node.domain !== '' && node.domain !== 'ai.onnx')) return [node];
  const rewrite = REWRITES[node.opType];
  return rewrite?.(node, opset) ?? [node];
}

/** Returns the rewritten nodes, or undefined where the node is already in its opset-13 form. */
type Rewrite = (node: OnnxNode, opset: number) => OnnxNode[] | undefined;

const REWRITES: Record<string, Rewrite> = {
  Squeeze: listsToInputs([['axes', 'ints']]),
  Unsqueeze: listsToInputs([['axes', 'ints']]),
  ReduceSum: listsToInputs([['axes', 'ints']]),
  Split: listsToInputs([['split', 'ints']]),
  Slice: (node, opset) =>
    opset < 10
      ? listsToInputs([
          ['starts', 'ints'],
          ['ends', 'ints'],
          ['axes', 'ints'],
        ])(node, opset)
      : undefined,
  Pad: (node, opset) =>
    opset < 11
      ? moveToInputs(node, [
          ['pads', 'ints', node.attrs.pads],
          ['value', 'float', node.attrs.value ?? 0],
        ])
      : undefined,
  Clip: (node, opset) =>
    opset < 11
      ? moveToInputs(node, [
          ['min', 'float', node.attrs.min],
          ['max', 'float', node.attrs.max],
        ])
      : undefined,
  Dropout: (node, opset) =>
    opset < 12 ? moveToInputs(node, [['ratio', 'float', node.attrs.ratio ?? 0.5]]) : undefined,
  Softmax: flattenedToTwoD,
  LogSoftmax: flattenedToTwoD,
  Upsample: (node) =>
    asResize(
      node,
      node.attrs.scales === undefined ? node.inputs[1] : undefined,
      node.attrs.scales as number[] | undefined,
    ),
  Resize: (node, opset) => (opset < 11 ? asResize(node, node.inputs[1]) : undefined),
  BatchNormalization: (node) =>
    node.attrs.spatial === 1 ? [{ ...node, attrs: without(node.attrs, ['spatial']) }] : undefined,
};

type ConstantKind = 'ints' | 'floats' | 'float';

/** A rewrite moving the listed attributes, where present, into the inputs after the first. */
function listsToInputs(names: [string, ConstantKind][]): Rewrite {
  return (node) =>
    names.some(([name]) => node.attrs[name] !== undefined)
      ? moveToInputs(
          node,
          names.map(([name, kind]) => [name, kind, node.attrs[name]]),
        )
      : undefined;
}

/**
 * The node with inputs 1… taken from `moved` (name, constant kind, value; undefined leaves the
 * input out), each made by a Constant node before it, and those attributes gone.
 */
function moveToInputs(node: OnnxNode, moved: [string, ConstantKind, OnnxAttr | undefined][]): OnnxNode[] {
  const constants: OnnxNode[] = [];
  const inputs = moved.map(([name, kind, value]) => {
    if (value === undefined) return '';
    const made = constantNode(node, name, kind, value);
    constants.push(made);
    return made.outputs[0];
  });
  while (inputs.length && inputs[inputs.length - 1] === '') inputs.pop();
  return [
    ...constants,
    {
      ...node,
      inputs: [node.inputs[0], ...inputs],
      attrs: without(
        node.attrs,
        moved.map(([name]) => name),
      ),
    },
  ];
}

/** A Constant node holding `value` for `node`'s input `role`, named after the node's first output. */
function constantNode(node: OnnxNode, role: string, kind: ConstantKind, value: OnnxAttr): OnnxNode {
  const output = `${node.outputs[0]}::${role}`;
  const attr = kind === 'ints' ? 'value_ints' : kind === 'floats' ? 'value_floats' : 'value_float';
  return derived(node, 'Constant', role, [], [output], { [attr]: value });
}

/** A node made for `node` (same position, so messages name the file's node). */
function derived(
  node: OnnxNode,
  opType: string,
  role: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, OnnxAttr>,
): OnnxNode {
  return { name: `${node.name}::${role}`, opType, domain: '', inputs, outputs, attrs, index: node.index };
}

/**
 * Softmax / LogSoftmax before opset 13: the input flattened into [∏ dims before axis, ∏ dims from
 * axis], the op over its last axis, the result reshaped back. An explicit last axis (-1) needs
 * none of that.
 */
function flattenedToTwoD(node: OnnxNode): OnnxNode[] {
  const axis = typeof node.attrs.axis === 'number' ? node.attrs.axis : 1;
  if (axis === -1) return [node];
  const [x] = node.inputs;
  const [y] = node.outputs;
  const shape = derived(node, 'Shape', 'shape', [x], [`${y}::shape`], {});
  const flat = derived(node, 'Flatten', 'flatten', [x], [`${y}::flat`], { axis });
  const op = { ...node, inputs: [`${y}::flat`], outputs: [`${y}::rows`], attrs: { axis: -1 } };
  const back = derived(node, 'Reshape', 'reshape', [`${y}::rows`, `${y}::shape`], [y], {});
  return [shape, flat, op, back];
}

/**
 * Upsample (opsets 7 to 9) and Resize-10 as opset 13's Resize: scales from the given input, or
 * from the attribute (Upsample-7); asymmetric coordinates, the floor in nearest mode.
 */
function asResize(node: OnnxNode, scalesInput: string | undefined, scalesAttr?: number[]): OnnxNode[] {
  const mode = typeof node.attrs.mode === 'string' ? node.attrs.mode : 'nearest';
  const constants = scalesAttr ? [constantNode(node, 'scales', 'floats', scalesAttr)] : [];
  const scales = scalesAttr ? constants[0].outputs[0] : (scalesInput ?? '');
  const attrs: Record<string, OnnxAttr> = {
    mode,
    coordinate_transformation_mode: 'asymmetric',
    ...(mode === 'nearest' ? { nearest_mode: 'floor' } : {}),
  };
  return [...constants, { ...node, opType: 'Resize', inputs: [node.inputs[0], '', scales], attrs }];
}

function without(attrs: Record<string, OnnxAttr>, names: string[]): Record<string, OnnxAttr> {
  return Object.fromEntries(Object.entries(attrs).filter(([name]) => !names.includes(name)));
}
