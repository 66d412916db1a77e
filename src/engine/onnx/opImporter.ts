/**
 * What an op importer is (the entries of importOps.ts's table and the op families beside it):
 * the context it builds from, and helpers reading a node's attributes.
 */
import type { AttrValue, GraphBuilder, Value } from '../graph/builder';
import type { Known } from './fold';
import type { OnnxNode } from './onnxFile';

export interface OpContext {
  b: GraphBuilder;
  node: OnnxNode;
  mode: 'train' | 'eval';
  /** Input i as a graph value (known constants become initializers); undefined when omitted. */
  input(i: number): Value | undefined;
  x(i: number): Value;
  /** Input i's constant value, when it is known at import time. */
  known(i: number): Known | undefined;
  /** Input i's constant integers; an error naming the input when it is not a constant. */
  ints(i: number, what: string): number[];
  /** The new value of input i when it is a buffer kept as state (running statistics); ignored otherwise. */
  updateBuffer(i: number, value: Value): void;
  /** Train-mode dropout of x at the next site (keyed masks, layers/dropout.ts). */
  dropout(x: Value, ratio: number): Value;
}

export interface OpImporter {
  /** Attributes the importer reads; any other attribute is refused. */
  attrs?: string[];
  /** Refuses attribute values it cannot honour: returns why. */
  check?: (node: OnnxNode) => string | undefined;
  emit: (c: OpContext) => (Value | undefined)[];
}

export const attrInt = (node: OnnxNode, name: string, fallback: number) =>
  typeof node.attrs[name] === 'number' ? (node.attrs[name] as number) : fallback;
export const attrInts = (node: OnnxNode, name: string): number[] | undefined =>
  Array.isArray(node.attrs[name]) ? (node.attrs[name] as number[]) : undefined;
export const attrStr = (node: OnnxNode, name: string, fallback: string) =>
  typeof node.attrs[name] === 'string' ? (node.attrs[name] as string) : fallback;

/**
 * The node's listed attributes as builder attributes. The float ones among them (alpha, beta,
 * epsilon) are in the builder's FLOAT_ATTRS, so they serialize as floats again.
 */
export function passAttrs(node: OnnxNode, names: string[]): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const name of names) {
    const v = node.attrs[name];
    if (v !== undefined && name !== 'auto_pad') out[name] = v as AttrValue;
  }
  return out;
}

/** Emits the node as it is, with its listed attributes. */
export function same(attrs: string[] = []): OpImporter {
  return {
    attrs,
    emit: (c) =>
      c.b.op(
        c.node.opType,
        c.node.inputs.map((_, i) => c.input(i)),
        passAttrs(c.node, attrs),
        { outputs: c.node.outputs.length },
      ),
  };
}
/** A float attribute (alpha, epsilon): read as integer ones are, both are plain numbers here. */
export const attrFloat = attrInt;
