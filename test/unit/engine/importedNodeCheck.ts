/**
 * Checks of one ONNX node as the importer composes it: a model x · w → node(s) → y, imported,
 * against onnxruntime running the file itself (forward), and its gradients with respect to x
 * and w against finite differences (gradcheck.ts).
 */
import { strict as assert } from 'node:assert';
import { onnx } from 'onnx-proto';
import { planImport, readOnnxModel } from '../../../src/engine/onnx';
import { importForward } from '../../../src/engine/onnx/importForward';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { checkGradients, type CheckOptions } from './gradcheck';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** An int64 initializer (axes, repeats, k…), as exporters write constant inputs. */
export const int64s = (name: string, values: number[], dims = [values.length]): onnx.ITensorProto => ({
  name,
  dims,
  dataType: onnx.TensorProto.DataType.INT64,
  int64Data: values,
});

/** The weights w of nodeModel: near 1, distinct. */
export const nodeWeights = (length: number) =>
  Float32Array.from({ length }, (_, i) => 0.9 + 0.2 * Math.sin(i + 1));

/**
 * x [shape] times w [last axis of shape] gives h; `nodes` read h and write y. `initializers`
 * are the nodes' constant inputs.
 */
export function nodeModel(
  shape: number[],
  nodes: onnx.INodeProto[],
  opset: number,
  initializers: onnx.ITensorProto[] = [],
): Uint8Array {
  const last = shape[shape.length - 1];
  const w = Array.from(nodeWeights(last));
  const graph: onnx.IGraphProto = {
    name: 'node',
    input: [
      {
        name: 'x',
        type: { tensorType: { elemType: FLOAT, shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
      },
    ],
    output: [{ name: 'y', type: { tensorType: { elemType: FLOAT } } }],
    initializer: [{ name: 'w', dims: [last], dataType: FLOAT, floatData: w }, ...initializers],
    node: [{ opType: 'Mul', input: ['x', 'w'], output: ['h'] }, ...nodes],
  };
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: opset }], graph }),
  ).finish();
}

/** The imported model's output on x equals onnxruntime's on the file; its gradients equal finite differences. */
export async function checkImportedNode(
  bytes: Uint8Array,
  shape: number[],
  x: Float32Array,
  options: CheckOptions & { forwardTolerance?: number } = {},
): Promise<void> {
  const plan = planImport(readOnnxModel(bytes));
  const b = new GraphBuilder();
  const input = b.input('x', 'float32', shape);
  const param = (p: (typeof plan.parameters)[number]) => b.constant(p.data, p.shape);
  b.output(importForward(plan, input, { b, mode: 'eval', param }), 'y');
  const imported = await openSession(serializeModel(b));
  const original = await openSession(bytes);
  const feed = { x: tensor('float32', x, shape) };
  const [got, want] = [(await imported.run(feed)).y, (await original.run(feed)).y];
  await Promise.all([imported.release(), original.release()]);
  assert.deepEqual(got.dims, want.dims);
  const tolerance = options.forwardTolerance ?? 1e-5;
  (want.data as Float32Array).forEach((w, i) => {
    const g = (got.data as Float32Array)[i];
    assert.ok(Math.abs(g - w) <= tolerance * (1 + Math.abs(w)), `y[${i}]: imported ${g}, onnxruntime ${w}`);
  });

  await checkGradients(
    (gb, xs) =>
      importForward(plan, xs[0], {
        b: gb,
        mode: 'train',
        param: (p) => xs[1 + plan.parameters.indexOf(p)],
      }),
    [{ shape, data: x }, ...plan.parameters.map((p) => ({ shape: p.shape, data: p.data }))],
    options,
  );
}
