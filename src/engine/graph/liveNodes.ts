/**
 * The nodes of a graph that its outputs depend on. onnxruntime runs every node it is given, read
 * or not (an unread 64 MB Transpose cost 208 ms a run here), and a layer may build a value that
 * no later layer takes (layers/channelMajor.ts: the image-major form of a convolution's output when
 * the next layer reads its channel-major twin). Serialization writes only these nodes.
 *
 * Subgraphs (Loop and Scan bodies) read outer values by name: a kept node with a subgraph keeps
 * every value its subgraph's kept nodes read, and its declared captures.
 */
import { GraphBuilder, type Node } from './builder';

/** The nodes of `g` its outputs depend on, in their order. */
export function liveNodes(g: GraphBuilder): Node[] {
  return liveNodesReading(g).nodes;
}

function liveNodesReading(g: GraphBuilder): { nodes: Node[]; reads: Set<string> } {
  const live = new Set(g.outputs.map((v) => v.name));
  const reads = new Set<string>();
  const kept: Node[] = [];
  const read = (name: string) => {
    live.add(name);
    reads.add(name);
  };
  // Nodes come in the order they were built, so each value's producer precedes its readers.
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const node = g.nodes[i];
    if (!node.outputs.some((v) => v !== undefined && live.has(v.name))) continue;
    kept.push(node);
    for (const v of node.inputs) if (v) read(v.name);
    for (const v of node.captures ?? []) read(v.name);
    for (const attr of Object.values(node.attrs))
      if (attr instanceof GraphBuilder) for (const name of liveNodesReading(attr).reads) read(name);
  }
  for (const v of g.outputs) reads.add(v.name);
  return { nodes: kept.reverse(), reads };
}
