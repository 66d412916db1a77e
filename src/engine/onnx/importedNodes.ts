/**
 * The imported model's nodes as the engine builds them for a batch (eval mode): each node that
 * is not shape arithmetic, with its input and output shapes. The model summary reads them;
 * nothing is run.
 */
import { GraphBuilder } from '../graph/builder';
import { importForward } from './importForward';
import type { ImportPlan } from './importPlan';
import type { OnnxNode } from './onnxFile';

export interface ImportedNode {
  node: OnnxNode;
  /** Per input, batch axis included (where the graph has one); undefined for an omitted optional input. */
  inputShapes: (number[] | undefined)[];
  outputShapes: (number[] | undefined)[];
}

export function importedNodes(plan: ImportPlan, batch = 1): ImportedNode[] {
  const b = new GraphBuilder();
  const x = b.input('x', plan.inputKind === 'tokens' ? 'int64' : 'float32', [batch, ...plan.inputShape]);
  const nodes: ImportedNode[] = [];
  importForward(plan, x, {
    b,
    mode: 'eval',
    param: (p) => b.input(p.name, 'float32', p.shape),
    onNode: (node, inputShapes, outputShapes) => nodes.push({ node, inputShapes, outputShapes }),
  });
  return nodes;
}
