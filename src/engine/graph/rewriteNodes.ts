/**
 * The walk every post-autodiff graph rewrite shares (nchwcConvs.ts, narrowSplits.ts): each node
 * of a graph and of its subgraphs (a fused-steps Loop's body) is offered to `replace`, in order.
 * `replace` either builds the node's replacement through the graph it is given (the new nodes
 * land where the old one stood) and returns true, or returns false to keep the node.
 */
import { GraphBuilder, type Node } from './builder';

/** Rewrites `g` in place; returns how many nodes were replaced, subgraphs included. */
export function rewriteNodes(g: GraphBuilder, replace: (g: GraphBuilder, node: Node) => boolean): number {
  const original = g.nodes.splice(0);
  let count = 0;
  for (const node of original) {
    for (const attr of Object.values(node.attrs))
      if (attr instanceof GraphBuilder) count += rewriteNodes(attr, replace);
    if (replace(g, node)) count++;
    else g.nodes.push(node);
  }
  return count;
}
