/**
 * Reverse-mode autodiff over builder nodes.
 *
 *   const grads = gradients(b, loss, [w1, w2]);   // Map: value name → gradient value
 *
 * Walks the nodes between `wrt` and `loss` backwards and asks the rule table
 * (autodiff/rules/index.ts, one entry per op type) for each input's gradient. A rule
 * returns one thunk per input (undefined = no gradient); thunks run only for inputs that
 * lie on a path from `wrt`, so e.g. the first Conv never computes a gradient for the image.
 * Values a node's subgraph captures from the outer scope (Node.captures) count as inputs
 * after the real ones, so e.g. a Scan body's weights get gradients from the Scan's rule.
 * The last node of a composite (Node.composite, e.g. Gelu) is differentiated by the composite's
 * rule over the composite's inputs; no gradient then reaches the nodes inside it.
 * Rules may return a gradient in the broadcast (output) shape: it is reduced to the input's
 * shape here, once, from the static shapes. Ops without a gradient are listed in
 * NO_GRADIENT; any other op without a rule is an error naming the op and the node.
 */
import {
  FloatAttr,
  sameShape,
  type AttrValue,
  type GraphBuilder,
  type Node,
  type Value,
} from '../graph/builder';
import { sumLeadingAxes } from '../graph/sumLeadingAxes';
import type { GradContext } from './gradRule';
import { GRADIENT_RULES, NO_GRADIENT } from './rules';

export class GradientError extends Error {}

const isFloat = (v: Value | undefined): v is Value => !!v && (v.dtype === 'float32' || v.dtype === 'float64');

export function gradients(b: GraphBuilder, loss: Value, wrt: Value[], seed?: Value): Map<string, Value> {
  const active = new Set(wrt.map((v) => v.name));
  const nodes = b.nodes.slice();
  for (const n of nodes) {
    if (inputsOf(n).some((v) => isFloat(v) && active.has(v.name))) {
      for (const o of n.outputs) if (isFloat(o)) active.add(o.name);
    }
  }
  const grads = new Map<string, Value>();
  if (seed === undefined && loss.size !== 1) throw new GradientError(`loss ${loss.name} must be a scalar`);
  grads.set(loss.name, seed ?? b.constant([1], loss.shape, loss.dtype));

  const savedScope = b.scope;
  b.scope = 'grad/';
  try {
    for (let k = nodes.length - 1; k >= 0; k--) {
      const node = nodes[k];
      if (!node.outputs.some((o) => o && grads.has(o.name))) continue;
      const inputs = gradInputsOf(node);
      const wanted = inputs.map((v) => isFloat(v) && active.has(v.name));
      if (!wanted.some(Boolean) || NO_GRADIENT.has(node.opType)) continue;
      const rule = GRADIENT_RULES.get(node.composite?.rule ?? node.opType);
      if (!rule) {
        throw new GradientError(
          `no gradient rule for op ${node.composite?.rule ?? node.opType} (node ${node.name}); add one to src/engine/autodiff/rules or list it in NO_GRADIENT`,
        );
      }
      const thunks = rule(context(b, node, grads));
      inputs.forEach((input, i) => {
        if (!wanted[i] || !input) return;
        const thunk = thunks[i];
        if (!thunk) return;
        accumulate(b, grads, input, unbroadcast(b, thunk(), input.shape));
      });
    }
  } finally {
    b.scope = savedScope;
  }
  const out = new Map<string, Value>();
  for (const w of wrt) out.set(w.name, grads.get(w.name) ?? b.zerosLike(w));
  return out;
}

function context(b: GraphBuilder, node: Node, grads: Map<string, Value>): GradContext {
  const attr = (name: string): AttrValue | undefined => node.attrs[name];
  return {
    b,
    node,
    x(i) {
      const v = gradInputsOf(node)[i];
      if (!v) throw new GradientError(`${node.opType} (node ${node.name}) has no input ${i}`);
      return v;
    },
    y: (i) => b.ensureOutput(node, i),
    dy(i = 0) {
      const out = b.ensureOutput(node, i);
      return grads.get(out.name) ?? b.zerosLike(out);
    },
    dyIfAny: (i) => grads.get(b.ensureOutput(node, i).name),
    int: (name, fallback) => (typeof attr(name) === 'number' ? (attr(name) as number) : fallback),
    float(name, fallback) {
      const value = attr(name);
      if (typeof value === 'number') return value;
      return value instanceof FloatAttr && typeof value.value === 'number' ? value.value : fallback;
    },
    ints: (name, fallback) => (Array.isArray(attr(name)) ? (attr(name) as number[]) : fallback),
    constInts(i) {
      const data = b.constValue(node.inputs[i]);
      if (!data) throw new GradientError(`${node.opType} (node ${node.name}): input ${i} must be a constant`);
      return data;
    },
  };
}

/** A node's inputs followed by the outer-scope values its subgraphs capture. */
const inputsOf = (node: Node): (Value | undefined)[] =>
  node.captures ? [...node.inputs, ...node.captures] : node.inputs;

/** The inputs a node's gradient rule sees: a composite's own inputs (Node.composite) or inputsOf. */
const gradInputsOf = (node: Node): (Value | undefined)[] => node.composite?.inputs ?? inputsOf(node);

function accumulate(b: GraphBuilder, grads: Map<string, Value>, input: Value, g: Value): void {
  const prev = grads.get(input.name);
  grads.set(input.name, prev ? b.add(prev, g) : g);
}

/** Sums a gradient computed in a broadcast shape back to the shape of the input it belongs to. */
export function unbroadcast(b: GraphBuilder, g: Value, shape: number[]): Value {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  if (lead < 0)
    throw new GradientError(`gradient ${g.name} [${g.shape}] has lower rank than its input [${shape}]`);
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  if (axes.length === 0) return b.reshape(g, shape);
  // Leading axes only (bias, layer-norm and position gradients): one Gemm with ones, not ReduceSum.
  if (axes.every((a, i) => a === i)) return b.reshape(sumLeadingAxes(b, g, axes.length), shape);
  return b.reshape(b.reduceSum(g, axes, false), shape);
}
