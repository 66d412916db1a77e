/** The shape of a gradient rule: what a rule sees of its forward node and what it returns per input. */
import type { GraphBuilder, Node, Value } from '../graph/builder';

export interface GradContext {
  b: GraphBuilder;
  node: Node;
  /** Forward input i. */
  x(i: number): Value;
  /** Forward output i (added to the node when the forward pass did not ask for it). */
  y(i: number): Value;
  /** Incoming gradient of output i (zeros when nothing flows into it). */
  dy(i?: number): Value;
  /** Incoming gradient of output i, or undefined when nothing flows into it (a rule may skip work). */
  dyIfAny(i: number): Value | undefined;
  int(name: string, fallback: number): number;
  /** A float attribute (a number, or a FloatAttr holding one). */
  float(name: string, fallback: number): number;
  ints(name: string, fallback: number[]): number[];
  /** Values of a constant input (shapes, axes, pads). */
  constInts(i: number): number[];
}

export type GradThunk = (() => Value) | undefined;
export type GradRule = (c: GradContext) => GradThunk[];
