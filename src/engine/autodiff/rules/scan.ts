/**
 * Scan has no generic gradient rule: that would need autodiff of the body subgraph and a
 * stack of every intermediate. The code that builds a Scan (the recurrent cells in
 * src/engine/recurrent/) knows what its body saves and registers a hand-written backward
 * for that node here; the table entry dispatches to it.
 */
import type { Node } from '../../graph/builder';
import type { GradRule } from '../gradRule';

const BACKWARDS = new WeakMap<Node, GradRule>();

/** Declares how gradients flow through one Scan node (its inputs, then its captures). */
export function setScanGradient(node: Node, rule: GradRule): void {
  if (node.opType !== 'Scan') throw new Error(`${node.name} is a ${node.opType}, not a Scan`);
  BACKWARDS.set(node, rule);
}

export const SCAN_RULES: Record<string, GradRule> = {
  Scan: (c) => {
    const rule = BACKWARDS.get(c.node);
    if (!rule)
      throw new Error(
        `no gradient for Scan node ${c.node.name}: only Scans built with a registered backward (recurrent layers in train mode) are differentiable`,
      );
    return rule(c);
  },
};
