/**
 * A training or evaluation graph made ready for the execution provider that runs it, after
 * autodiff and before serialization; exported models never see these rewrites.
 * - CPU: convolutions in onnxruntime's blocked layout (graph/nchwcConvs.ts). Another provider
 *   would hand those nodes back to the CPU, so they stay plain there.
 * - WebGPU: no Split wider than a shader's storage buffers allow (graph/narrowSplits.ts).
 */
import type { GraphBuilder } from '../graph/builder';
import { narrowSplits } from '../graph/narrowSplits';
import { useNchwcConvs } from '../graph/nchwcConvs';
import { nchwcBlockSize } from './nchwcBlock';
import type { ProviderName } from './session';

/** `graph`, rewritten in place, for a session whose first provider is `provider`; `block`: nchwcBlockSize(). */
export function forProvider(graph: GraphBuilder, provider: ProviderName, block: number): GraphBuilder {
  if (provider === 'cpu') useNchwcConvs(graph, block);
  if (provider === 'webgpu') narrowSplits(graph);
  return graph;
}

/** forProvider for a session on `providers`, probing the block size first. */
export async function forProviders(
  graph: GraphBuilder,
  providers: readonly ProviderName[],
): Promise<GraphBuilder> {
  return forProvider(graph, providers[0], await nchwcBlockSize());
}
