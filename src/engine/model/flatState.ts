/**
 * The optimizer works on all parameters at once: their gradients and values are concatenated
 * into one flat vector each, so clipping and the update are a dozen nodes per step whatever
 * the model, instead of a dozen per parameter tensor. Profiles put those hundreds of small
 * elementwise nodes at a fifth of a small CNN's step, in per-node overhead more than in
 * arithmetic. The optimizer slots (Adam's moments, SGD's velocity) stay flat between steps,
 * one state tensor per kind; checkpoints keep one tensor per parameter and kind (the names
 * `slotsFor` gives), split and joined here, so their format does not depend on this layout.
 */
import type { OptimizerConfig } from '../../contract/experiment';
import type { GraphBuilder, Value } from '../graph/builder';
import { slotKinds, slotsFor, type SlotSpec } from './optimizers';

export interface FlatPart {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** Where each parameter lies in the flat vectors (store order). */
export interface FlatLayout {
  size: number;
  parts: FlatPart[];
}

export function flatLayout(specs: { name: string; shape: number[] }[]): FlatLayout {
  let offset = 0;
  const parts = specs.map(({ name, shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const part = { name, shape, offset, size };
    offset += size;
    return part;
  });
  return { size: offset, parts };
}

/** One flat state tensor per slot kind (the colon keeps the names apart from the layers' parameters). */
export function flatSlots(config: OptimizerConfig, layout: FlatLayout): SlotSpec[] {
  return slotKinds(config).map((kind) => ({ name: `optimizer:${kind}`, shape: [layout.size] }));
}

/** The values (in layout order) as one vector: a Concat of their flattenings. */
export function flatten(b: GraphBuilder, values: Value[], layout: FlatLayout): Value {
  const rows = values.map((v, i) => b.reshape(v, [layout.parts[i].size]));
  return rows.length === 1 ? rows[0] : b.op('Concat', rows, { axis: 0 })[0];
}

/** The inverse of `flatten`: one Split, each part reshaped to its parameter's shape. */
export function unflatten(b: GraphBuilder, flat: Value, layout: FlatLayout): Value[] {
  const { parts } = layout;
  const rows =
    parts.length === 1
      ? [flat]
      : b.op('Split', [flat, b.ints(parts.map((p) => p.size))], { axis: 0 }, { outputs: parts.length });
  return rows.map((row, i) => b.reshape(row, parts[i].shape));
}

function kindIndex(config: OptimizerConfig, layout: FlatLayout, slot: string): number {
  const index = flatSlots(config, layout).findIndex((s) => s.name === slot);
  if (index < 0) throw new Error(`unknown optimizer state ${slot}`);
  return index;
}

type Tensors = Record<string, { dims: number[]; data: Float32Array }>;

/** A flat slot's values as the per-parameter tensors a checkpoint keeps. */
export function splitSlot(
  config: OptimizerConfig,
  layout: FlatLayout,
  slot: string,
  data: Float32Array,
): Tensors {
  const kind = kindIndex(config, layout, slot);
  return Object.fromEntries(
    layout.parts.map((p) => [
      slotsFor(config, p.name, p.shape)[kind].name,
      { dims: [...p.shape], data: data.slice(p.offset, p.offset + p.size) },
    ]),
  );
}

/** The flat slot `slot` from a checkpoint's per-parameter tensors. */
export function joinSlot(
  config: OptimizerConfig,
  layout: FlatLayout,
  slot: string,
  tensors: Tensors,
): Float32Array {
  const kind = kindIndex(config, layout, slot);
  const flat = new Float32Array(layout.size);
  for (const p of layout.parts)
    flat.set(savedTensor(tensors, slotsFor(config, p.name, p.shape)[kind].name, p.shape), p.offset);
  return flat;
}

/** A checkpoint's tensor `name`, which must have `shape`; throws naming what is missing or misshapen. */
export function savedTensor(tensors: Tensors, name: string, shape: number[]): Float32Array {
  const saved = tensors[name];
  if (!saved) throw new Error(`the checkpoint has no tensor ${name}: it was saved from a different model`);
  if (saved.dims.join() !== shape.join() || saved.data.length !== shape.reduce((a, b) => a * b, 1))
    throw new Error(`checkpoint tensor ${name} has shape [${saved.dims}], the model needs [${shape}]`);
  return saved.data;
}
