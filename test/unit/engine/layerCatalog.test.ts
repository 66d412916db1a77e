// The layer catalog (src/engine/layers: LAYERS) is the one list of layer types: the JSON schema
// users edit against must offer exactly its types, descriptions and required fields; and the
// global average pool, the layer added in catalog style, checked like every other layer.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Layer } from '../../../src/contract/experiment';
import { gradients } from '../../../src/engine/autodiff/backward';
import { GraphBuilder } from '../../../src/engine/graph/builder';
import { serializeModel } from '../../../src/engine/graph/serialize';
import { LAYERS, buildForward } from '../../../src/engine/layers';
import { ParamBinder, ParamStore } from '../../../src/engine/model/params';
import { openSession, tensor } from '../../../src/engine/runtime/session';
import { inferShapes } from '../../../src/experiment/shapes';
import { checkGradients } from './gradcheck';

interface LayerSchema {
  properties: { type: { enum: string[]; enumDescriptions: string[] } };
  allOf: {
    if: { properties: { type: { const?: string; enum?: string[] } } };
    then: { required: string[] };
  }[];
}

const schema: { definitions: { layer: LayerSchema } } = JSON.parse(
  readFileSync('schemas/experiment.schema.json', 'utf8'),
);

test('the schema offers exactly the catalog: layer types, their descriptions and required fields', () => {
  const layer = schema.definitions.layer;
  assert.deepEqual(layer.properties.type.enum, Object.keys(LAYERS));
  assert.deepEqual(
    layer.properties.type.enumDescriptions,
    Object.values(LAYERS).map((kind) => kind.schema.description),
  );
  const required = new Map<string, string[]>();
  for (const rule of layer.allOf) {
    const { const: one, enum: many } = rule.if.properties.type;
    for (const type of one ? [one] : (many ?? [])) required.set(type, rule.then.required);
  }
  for (const [type, kind] of Object.entries(LAYERS)) {
    assert.deepEqual(required.get(type) ?? [], kind.schema.required, `required fields of ${type}`);
  }
});

const pool: Layer = { type: 'globalavgpool' };

test('global average pooling: [channels, height, width] becomes [channels]; other inputs are named', () => {
  const cnn: Layer[] = [
    { type: 'conv2d', filters: 8, kernel: 3, padding: 'same' },
    pool,
    { type: 'dense', units: 10 },
  ];
  assert.deepEqual(inferShapes([1, 12, 12], 'float', cnn).shapes, [[8, 12, 12], [8], [10]]);
  const flat = inferShapes([20], 'float', [pool]);
  assert.deepEqual(flat.problem, {
    layer: 0,
    message: 'globalavgpool needs an image [channels, height, width], but its input is [20]',
  });
});

test('global average pooling: finite-difference gradients through conv2d, the pool and dense', async () => {
  const model: Layer[] = [
    { type: 'conv2d', filters: 3, kernel: 3, padding: 'same', activation: 'tanh' },
    pool,
    { type: 'dense', units: 4 },
  ];
  await checkGradients(
    (b, [x]) =>
      buildForward(model, x, {
        b,
        mode: 'eval',
        params: new ParamBinder(new ParamStore(3), b, 'initializer'),
      }).output,
    [{ shape: [2, 2, 5, 4] }],
  );
});

test('global average pooling matches PyTorch (AdaptiveAvgPool2d(1) then flatten): values and input gradient', async () => {
  // x[i] = sin(i) in [2, 3, 2, 3]; loss = Σ y·r with r[i] = cos(i) over [2, 3]. Numbers from torch 1.13.
  const torchY = [0.0293603, 0.0391727, 0.0458648, 0.0489032, 0.048046, 0.0433616];
  const torchDxFirstOfEachChannel = [0.1666667, 0.0900504, -0.0693578, -0.1649988, -0.1089406, 0.047277];
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2, 3, 2, 3]);
  const y = buildForward([pool], x, {
    b,
    mode: 'train',
    params: new ParamBinder(new ParamStore(1), b, 'initializer'),
  }).output;
  const r = b.constant(
    Float32Array.from({ length: 6 }, (_, i) => Math.cos(i)),
    [2, 3],
  );
  const loss = b.reduceSum(b.mul(y, r), []);
  const dx = gradients(b, loss, [x]).get('x')!;
  b.output(y, 'y');
  b.output(dx, 'dx');
  const session = await openSession(serializeModel(b));
  const out = await session.run({
    x: tensor(
      'float32',
      Float32Array.from({ length: 36 }, (_, i) => Math.sin(i)),
      [2, 3, 2, 3],
    ),
  });
  const close = (actual: ArrayLike<number>, expected: number[]) =>
    expected.forEach((v, i) => assert.ok(Math.abs(actual[i] - v) < 1e-6, `${i}: ${actual[i]} vs ${v}`));
  close(out.y.data as Float32Array, torchY);
  close(
    Array.from(out.dx.data as Float32Array).filter((_, i) => i % 6 === 0),
    torchDxFirstOfEachChannel,
  );
  await session.release();
});
