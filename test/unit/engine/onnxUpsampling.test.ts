/**
 * Upsampling layers of decoders, autoencoders and U-Nets: nn.ConvTranspose2d (ConvTranspose) and
 * nn.Upsample / F.interpolate in nearest and (bi)linear mode (Resize). The compatibility check compares each
 * hand-written graph's forward with onnxruntime and its gradients with finite differences; what
 * Model Lab cannot resize is refused naming the attribute or the axis.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';
import { assertChecksOut, encodeModel, tanhFlattenHead, tensorInfo, weights } from './handWrittenOnnx';

const { INTS, STRING } = onnx.AttributeProto.AttributeType;
const ints = (name: string, values: number[]): onnx.IAttributeProto => ({ name, type: INTS, ints: values });
const text = (name: string, value: string): onnx.IAttributeProto => ({
  name,
  type: STRING,
  s: new TextEncoder().encode(value),
});

/** x [batch, 3, 4, 4] → ConvTranspose (3 → 2 channels, `attribute`) → Tanh → flattened · head → y [batch, 2]. */
function transposedModel(attribute: onnx.IAttributeProto[], outSide: number): Uint8Array {
  return encodeModel({
    name: 'transposed',
    input: [tensorInfo('x', ['batch', 3, 4, 4])],
    output: [tensorInfo('y', ['batch', 2])],
    initializer: [
      weights('filters', [3, 2, 3, 3], 1),
      weights('bias', [2], 2),
      weights('head', [2 * outSide * outSide, 2], 3),
    ],
    node: [
      { name: 'up', opType: 'ConvTranspose', input: ['x', 'filters', 'bias'], output: ['c'], attribute },
      ...tanhFlattenHead('c'),
    ],
  });
}

/** x [batch, 2, 3, 2] → Conv 1×1 (so a parameter precedes the Resize) → Resize (`scales` or `sizes`) → Tanh → · head. */
type ResizeBy = { scales?: readonly number[]; sizes?: readonly number[] };

function resizeModel(attribute: onnx.IAttributeProto[], resize: ResizeBy, outputs: number) {
  const constants: onnx.ITensorProto[] = [];
  const inputs = ['c', ''];
  if (resize.scales) {
    constants.push({
      name: 'scales',
      dims: [4],
      dataType: onnx.TensorProto.DataType.FLOAT,
      floatData: [...resize.scales],
    });
    inputs.push('scales');
  } else {
    constants.push({
      name: 'sizes',
      dims: [4],
      dataType: onnx.TensorProto.DataType.INT64,
      int64Data: [...(resize.sizes ?? [])],
    });
    inputs.push('', 'sizes');
  }
  return readOnnxModel(
    encodeModel(
      {
        name: 'resize',
        input: [tensorInfo('x', ['batch', 2, 3, 2])],
        output: [tensorInfo('y', ['batch', 2])],
        initializer: [weights('filters', [2, 2, 1, 1], 1), weights('head', [outputs, 2], 3), ...constants],
        node: [
          {
            name: 'mix',
            opType: 'Conv',
            input: ['x', 'filters'],
            output: ['c'],
            attribute: [ints('kernel_shape', [1, 1])],
          },
          { name: 'up', opType: 'Resize', input: inputs, output: ['r'], attribute },
          ...tanhFlattenHead('r'),
        ],
      },
      17,
    ),
  );
}

const PYTORCH_NEAREST = [
  text('mode', 'nearest'),
  text('coordinate_transformation_mode', 'asymmetric'),
  text('nearest_mode', 'floor'),
];

describe('upsampling layers', () => {
  for (const [what, attribute, side] of [
    [
      'stride 2, pads 1, output_padding 1',
      [ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), ints('output_padding', [1, 1])],
      8,
    ],
    ['stride 1, pads 1', [ints('pads', [1, 1, 1, 1])], 4],
    ['stride 2, dilation 2, no pads', [ints('strides', [2, 2]), ints('dilations', [2, 2])], 11],
  ] as const)
    it(`ConvTranspose ${what}: the forward equals onnxruntime, gradients equal finite differences`, async () => {
      const report = await checkCompatibility(
        readOnnxModel(transposedModel([ints('kernel_shape', [3, 3]), ...attribute], side)),
      );
      assertChecksOut(report, ['filters', 'bias', 'head']);
    });

  it('a grouped ConvTranspose is refused naming its group', async () => {
    const report = await checkCompatibility(
      readOnnxModel(
        transposedModel(
          [
            ints('kernel_shape', [3, 3]),
            { name: 'group', type: onnx.AttributeProto.AttributeType.INT, i: 3 },
          ],
          6,
        ),
      ),
    );
    assert.equal(report.verdict, 'unsupported');
    assert.match(
      report.problems.join(),
      /ConvTranspose \(node up, 1 of 4\): group 3 \(grouped transposed convolution\)/,
    );
  });

  for (const [what, attribute, resize, outputs] of [
    ['PyTorch nearest ×2 by scales', PYTORCH_NEAREST, { scales: [1, 1, 2, 2] }, 2 * 6 * 4],
    ['nearest ×3 by ×2 by sizes, ONNX default half_pixel rounding', [], { sizes: [2, 2, 9, 4] }, 2 * 9 * 4],
    [
      'a scale of 1 (F.interpolate with scale_factor=1)',
      PYTORCH_NEAREST,
      { scales: [1, 1, 1, 1] },
      2 * 3 * 2,
    ],
    [
      'bilinear ×2 as PyTorch exports it (pytorch_half_pixel)',
      [text('mode', 'linear'), text('coordinate_transformation_mode', 'pytorch_half_pixel')],
      { scales: [1, 1, 2, 2] },
      2 * 6 * 4,
    ],
    [
      'bilinear with align_corners to sizes 5 × 3',
      [text('mode', 'linear'), text('coordinate_transformation_mode', 'align_corners')],
      { sizes: [2, 2, 5, 3] },
      2 * 5 * 3,
    ],
    [
      'bilinear ×1.5 × 2.5, asymmetric',
      [text('mode', 'linear'), text('coordinate_transformation_mode', 'asymmetric')],
      { scales: [1, 1, 1.5, 2.5] },
      2 * 4 * 5,
    ],
    ['bilinear downsampling, half_pixel', [text('mode', 'linear')], { sizes: [2, 2, 2, 1] }, 2 * 2 * 1],
  ] as const)
    it(`Resize ${what}: the forward equals onnxruntime, gradients equal finite differences`, async () => {
      const report = await checkCompatibility(resizeModel([...attribute], resize, outputs));
      assertChecksOut(report, ['filters', 'head']);
    });

  for (const [what, attribute, resize, reason] of [
    [
      'cubic mode',
      [text('mode', 'cubic')],
      { scales: [1, 1, 2, 2] },
      /Resize \(node up, 2 of 5\): mode cubic \(nearest and linear only\)/,
    ],
    [
      'linear mode over the channels',
      [text('mode', 'linear')],
      { scales: [1, 2, 2, 2] },
      /linear resizing of axis 1 \(only the last two axes, height and width\)/,
    ],
    [
      'asymmetric rounding to nearest (not a repeat for ×3)',
      [text('coordinate_transformation_mode', 'asymmetric')],
      { scales: [1, 1, 3, 3] },
      /coordinate_transformation_mode asymmetric with nearest_mode round_prefer_floor/,
    ],
    [
      'a scale of 1.5',
      PYTORCH_NEAREST,
      { scales: [1, 1, 1.5, 1] },
      /axis 2 goes from 3 to 4: Model Lab resizes by whole factors/,
    ],
    ['downsampling', PYTORCH_NEAREST, { sizes: [2, 2, 3, 1] }, /axis 3 goes from 2 to 1/],
  ] as const)
    it(`Resize with ${what} is refused, saying why`, async () => {
      const report = await checkCompatibility(resizeModel([...attribute], resize, 12));
      assert.equal(report.verdict, 'unsupported');
      assert.match(report.problems.join(), reason);
    });
});
