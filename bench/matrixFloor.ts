/**
 * The matrix floor of a template's training step: the step's own matrix products (the Gemm,
 * MatMul, FusedMatMul, Conv and ConvTranspose nodes of its single-step training graph, with
 * their shapes and attributes) alone in one onnxruntime session, opened as the engine opens its
 * own, on random inputs. No step of the engine can be faster than its products through the same
 * kernels, so (the peer's ms/step) / (this floor) is the best ratio reachable by removing every
 * other cost: the bench times it in every round next to both sides and prints that bound.
 * Products inside a Scan or Loop body (the recurrent layers' steps) are not reached: such a
 * template gets no floor.
 */
import type { CompileOptions } from '../src/engine';
import { GraphBuilder, type Value } from '../src/engine/graph/builder';
import { serializeModel } from '../src/engine/graph/serialize';
import { Rng } from '../src/engine/init';
import { buildTrainGraph, planModel } from '../src/engine/model/graphs';
import { ParamStore } from '../src/engine/model/params';
import { forProviders } from '../src/engine/runtime/providerGraph';
import { openSession, tensor, type Tensor } from '../src/engine/runtime/session';
import { sessionTimer, type SessionTimer } from './sessionTimer';

const PRODUCTS = new Set(['Gemm', 'MatMul', 'FusedMatMul', 'Conv', 'ConvTranspose']);
const BODIES = new Set(['Scan', 'Loop']);

/** The step's products in a session of their own, or undefined when some lie in a Scan or Loop body. */
export async function openMatrixFloor(options: CompileOptions): Promise<SessionTimer | undefined> {
  const step = buildTrainGraph(planModel({ ...options, fusedSteps: 1 }, new ParamStore(options.seed)));
  if (step.nodes.some((n) => BODIES.has(n.opType))) return undefined;
  const g = new GraphBuilder('matrix_floor');
  const rng = new Rng(7);
  // One random tensor per shape: in the step, one activation or gradient feeds several products,
  // and 120 MB of distinct inputs (the Transformer's) would time memory more than the kernels.
  // Each operand is still a graph input of its own, fed that shared tensor: products with the
  // same inputs and attributes (the two Transformer blocks' alike) would otherwise be merged
  // into one by onnxruntime's common-subexpression elimination, and the floor would time about
  // half of the step's products.
  const feeds: Record<string, Tensor> = {};
  const byShape = new Map<string, Tensor>();
  const fed = (v: Value) => {
    const key = v.shape.join();
    let data = byShape.get(key);
    if (!data) {
      data = tensor(
        'float32',
        Float32Array.from({ length: v.size }, () => rng.normal()),
        v.shape,
      );
      byShape.set(key, data);
    }
    const input = g.input(`in${Object.keys(feeds).length}`, 'float32', v.shape);
    feeds[input.name] = data;
    return input;
  };
  for (const node of step.nodes.filter((n) => PRODUCTS.has(n.opType))) {
    const [y] = g.op(
      node.opType,
      node.inputs.map((v) => v && fed(v)),
      node.attrs,
      { domain: node.domain, types: [{ dtype: 'float32', shape: node.outputs[0]!.shape }] },
    );
    // One element of each product leaves the session: its result is used, but not copied out.
    const corner = y.shape.map(() => 0);
    g.output(g.op('Slice', [y, g.ints(corner), g.ints(corner.map(() => 1))])[0]);
  }
  // Its Convs run as the engine's CPU sessions run them: in the blocked layout where they fill it.
  await forProviders(g, ['cpu']);
  const session = await openSession(serializeModel(g), ['cpu'], options);
  await session.run(feeds);
  return sessionTimer(session, feeds);
}
