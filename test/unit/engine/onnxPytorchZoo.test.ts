/**
 * Models written the way PyTorch tutorials write them and exported as tutorials export them
 * (test/fixtures/onnx-zoo/export.py: eval mode, a dynamic batch axis, PyTorch 1.13's default
 * opset 14 and opset 17, and the older opsets 9 and 11 imported through their opset-13 forms,
 * olderOpsets.ts). The compatibility check (`model-lab onnx check`) answers for each:
 * the imported forward against onnxruntime on the original file, the gradients against finite
 * differences; a model Model Lab cannot train is refused naming the op, its nodes and what to do.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import { readOnnxFile, readOnnxModel } from '../../../src/engine/onnx';
import { checkCompatibility } from '../../../src/engine/onnx/compatibility';

const ZOO = join(__dirname, '..', '..', 'fixtures', 'onnx-zoo');
const OPSETS = [9, 11, 14, 17];
/** Where PyTorch 1.13 cannot write a model: a dynamic Slice before opset 10, CumSum before 11, Einsum before 12. */
const NOT_EXPORTABLE: Record<string, number[]> = {
  'transformer-batch-first': [9],
  'transformer-seq-first': [9],
  'einsum-attention-bilinear': [9, 11],
  'bert-style': [9],
  'distilbert-style': [9],
  'roberta-style': [9],
  'gpt2-style': [9],
};
const opsetsOf = (name: string) => OPSETS.filter((opset) => !NOT_EXPORTABLE[name]?.includes(opset));
const zooFile = (name: string, opset: number) => join(ZOO, `${name}-opset${opset}.onnx`);

async function assertTrainable(name: string, opset: number, opType: string) {
  const report = await checkCompatibility(readOnnxFile(zooFile(name, opset)));
  assert.equal(report.verdict, 'trainable', report.problems.join('; '));
  assert.equal(report.opset, opset);
  assert.ok(
    report.ops.some((op) => op.opType === opType && op.supported),
    `${opType} among ${report.ops.map((op) => op.opType).join(', ')}`,
  );
  assert.ok((report.forwardDifference ?? Infinity) < 1e-5, `forward difference ${report.forwardDifference}`);
  assert.equal(report.gradientChecks?.length, 3);
}

/** Trainable as exported: name → an op it must have been imported with. */
const TRAINABLE: Record<string, string> = {
  'transformer-batch-first': 'Softmax',
  'transformer-seq-first': 'Softmax',
  lstm: 'LSTM',
  gru: 'GRU',
  'mlp-dropout-batchnorm': 'Gemm',
  // Two layers, each an ONNX LSTM / GRU node of direction bidirectional.
  'lstm-2layer-bidirectional': 'LSTM',
  'gru-2layer-bidirectional': 'GRU',
  'conv1d-pool-batchnorm': 'MaxPool',
  // ReLU6 exports as Clip; the depthwise convolution has groups = channels.
  'depthwise-separable': 'Clip',
  // MobileNetV3's activations, and its squeeze-excite gate.
  'mobilenet-v3-block': 'HardSigmoid',
  // The sinusoidal table is folded at import; torch.amax exports as ReduceMax.
  'text-cnn-sinusoidal': 'ReduceMax',
  // GroupNorm exports as InstanceNormalization; nn.Upsample as a nearest Resize.
  'unet-groupnorm': 'ConvTranspose',
  // Attention scores and their mix with the values as torch.einsum, and a bilinear head.
  'einsum-attention-bilinear': 'Einsum',
};

describe('PyTorch models as people write them', () => {
  for (const [name, opType] of Object.entries(TRAINABLE))
    for (const opset of opsetsOf(name))
      it(`${name} at opset ${opset}: trainable`, () => assertTrainable(name, opset, opType));

  // The eval-mode export folds each BatchNorm into its convolution. A bias shifts thousands of
  // ReLU units, so a step of the finite differences crosses kinks; the check still accepts
  // this correct gradient.
  for (const opset of opsetsOf('resnet'))
    it(`small ResNet (residual adds, AdaptiveAvgPool2d) at opset ${opset}: trainable`, () =>
      assertTrainable('resnet', opset, 'GlobalAveragePool'));

  for (const opset of opsetsOf('conv1d-gelu-layernorm'))
    it(`Conv1d + GELU + LayerNorm at opset ${opset}: trainable, 1-D convolutions as 2-D ones of height 1`, () =>
      assertTrainable('conv1d-gelu-layernorm', opset, 'Conv'));

  // BERT, DistilBERT, RoBERTa and GPT-2 written out and exported with Hugging Face's input names
  // and a named sequence axis: the check feeds the token ids, fills the mask with ones (and the
  // type ids with zeros), and says so with the sequence length it chose.
  const HUGGING_FACE_STYLE: Record<string, { opType: string; filled: string[] }> = {
    // The mask added to the scores as (1 - mask) * finfo.min.
    'bert-style': {
      opType: 'Softmax',
      filled: ['attention_mask filled with 1', 'token_type_ids filled with 0'],
    },
    // (mask == 0).expand_as(scores) and masked_fill.
    'distilbert-style': { opType: 'Where', filled: ['attention_mask filled with 1'] },
    // Position ids counted from the token ids with CumSum.
    'roberta-style': { opType: 'CumSum', filled: ['attention_mask filled with 1'] },
    // A causal mask sliced from a bool buffer by the key length, logits at every position.
    'gpt2-style': { opType: 'Where', filled: ['attention_mask filled with 1'] },
  };
  for (const [name, { opType, filled }] of Object.entries(HUGGING_FACE_STYLE))
    for (const opset of opsetsOf(name))
      it(`${name} (input_ids, attention_mask… over [batch, sequence]) at opset ${opset}: trainable`, async () => {
        await assertTrainable(name, opset, opType);
        const report = await checkCompatibility(readOnnxFile(zooFile(name, opset)));
        assert.deepEqual(report.assumed, ['sequence = 8', ...filled]);
      });

  // PyTorch exports no reverse-only layer; the zoo's LSTM and GRU with direction "reverse"
  // (same weight shapes) are checked against onnxruntime running the edited file.
  for (const name of ['lstm', 'gru'])
    it(`${name} edited to direction reverse: the forward equals onnxruntime, gradients finite differences`, async () => {
      const model = onnx.ModelProto.decode(readFileSync(zooFile(name, 17)));
      const node = model.graph!.node!.find((n) => n.opType === name.toUpperCase())!;
      node.attribute!.push({
        name: 'direction',
        type: onnx.AttributeProto.AttributeType.STRING,
        s: Buffer.from('reverse'),
      });
      const report = await checkCompatibility(readOnnxModel(onnx.ModelProto.encode(model).finish()));
      assert.equal(report.verdict, 'trainable', report.problems.join('; '));
      assert.ok(
        (report.forwardDifference ?? Infinity) < 1e-5,
        `forward difference ${report.forwardDifference}`,
      );
    });
});
