/**
 * A Hugging Face style export (input_ids, attention_mask and token_type_ids over
 * [batch, sequence]) as a user meets it: the scaffold writes the import's choices (`sizes`,
 * `fill`) into the experiment, wrong choices are underlined on the entry that is wrong,
 * `model-lab train` fine-tunes it on a CSV of token ids, the export keeps all three inputs and
 * any sequence length, `onnx check` says what it assumed, and "Evaluate on data…" sizes the
 * sequence from the table. A GPT-2 style export, logits at every position, fine-tunes as a
 * language model.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { defaultImportOptions, planImport, readOnnxFile } from '../../../src/engine/onnx';
import { loadTextTokenizer, tokenizerFacts } from '../../../src/data/textTokenizer';
import { idFill } from '../../../src/engine/onnx/importInputs';
import { onnxExperiment, type ScaffoldTokenizer } from '../../../src/experiment/onnxExperiment';
import { parseExperimentText, validateExperiment } from '../../../src/experiment/validate';
import { DataError } from '../../../src/data/dataError';
import { loadDataset } from '../../../src/data/loadDataset';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { listRuns, readMetrics } from '../../../src/runs/runReader';
import { evaluateOnnxOnData } from '../../../src/trainer/onnxDataEvaluation';
import { PlaygroundSession } from '../../../src/trainer/playground';
import { createTrainerDeps } from '../../../src/trainer/trainerModules';
import { classificationScores } from '../../fixtures/classificationScores';
import { modelLab } from '../../fixtures/modelLabCli';

const root = mkdtempSync(join(tmpdir(), 'modellab-several-inputs-'));
after(() => rmSync(root, { recursive: true, force: true }));

const BERT = join(__dirname, '..', '..', 'fixtures', 'onnx-zoo', 'bert-style-opset17.onnx');
const WORDPIECE = join(__dirname, '..', '..', 'fixtures', 'tokenizers', 'wordpiece');
const SEQUENCE = 12;

/** `count` rows of 12 token ids (the model knows 50) and a class 0–2 that the first id decides. */
function idRows(count: number): { ids: number[]; label: number }[] {
  return Array.from({ length: count }, (_, r) => {
    const ids = Array.from({ length: SEQUENCE }, (_, i) => (r * 7 + i * 11 + r * i) % 50);
    return { ids, label: ids[0] % 3 };
  });
}

function idsCsv(rows: { ids: number[]; label: number }[], length = SEQUENCE): string {
  const header = [...Array.from({ length }, (_, i) => `t${i}`), 'label'].join(',');
  return [header, ...rows.map((row) => [...row.ids.slice(0, length), row.label].join(','))].join('\n') + '\n';
}

function workspace(): string {
  const dir = mkdtempSync(join(root, 'ws-'));
  copyFileSync(BERT, join(dir, 'bert.onnx'));
  writeFileSync(join(dir, 'data.csv'), idsCsv(idRows(60)));
  return dir;
}

/** The scaffolded experiment with `change` applied to its model section. */
function scaffold(
  change: (model: Record<string, unknown>) => void = () => {},
  tokenizer?: ScaffoldTokenizer,
) {
  const dir = workspace();
  const onnx = readOnnxFile(join(dir, 'bert.onnx'));
  const experiment = onnxExperiment(
    planImport(onnx, defaultImportOptions(onnx, { sequence: SEQUENCE })),
    'bert.onnx',
    'bert',
    tokenizer,
  );
  change(experiment.model as unknown as Record<string, unknown>);
  const file = join(dir, 'bert.experiment.json');
  const text = JSON.stringify(experiment, null, 2);
  writeFileSync(file, text);
  return { dir, file, text, experiment };
}

/** Each problem's message with the text of the line it underlines. */
async function problemsOn(change: (model: Record<string, unknown>) => void, csv?: string) {
  const { dir, text } = scaffold(change);
  if (csv) writeFileSync(join(dir, 'data.csv'), csv);
  const { problems } = await validateExperiment(parseExperimentText(text), dir);
  const lines = text.split('\n');
  return problems.map((p) => ({ message: p.message, line: lines[p.range.start.line].trim() }));
}

/**
 * The playground of a run of texts read by a tokenizer offers a field per text column, and answers
 * typed texts with the probabilities the run's model.onnx (its best weights, as the playground's)
 * gives `inputs`, the ids the tokenizer gives those texts.
 */
async function assertTypedTextsScored(
  runDir: string,
  columns: string[],
  texts: string[],
  inputs: Record<string, number[]>,
): Promise<void> {
  const playground = await PlaygroundSession.open(runDir, createTrainerDeps());
  try {
    assert.equal(playground.info.kind, 'texts');
    assert.deepEqual(playground.info.textColumns, columns);
    const typed = await playground.classifyTexts(texts);
    const session = await ort.InferenceSession.create(readFileSync(join(runDir, RUN_FILES.model)));
    const feeds = Object.fromEntries(
      Object.entries(inputs).map(([name, values]) => [
        name,
        new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]),
      ]),
    );
    const logits = Array.from((await session.run(feeds))[session.outputNames[0]].data as Float32Array);
    await session.release();
    const top = Math.max(...logits);
    const total = logits.reduce((sum, v) => sum + Math.exp(v - top), 0);
    const expected = logits.map((v) => Math.exp(v - top) / total);
    assert.equal(typed.length, expected.length);
    typed.forEach((p, c) =>
      assert.ok(Math.abs(p - expected[c]) < 1e-5, `class ${c}: ${p} vs ${expected[c]}`),
    );
  } finally {
    await playground.dispose();
  }
}

/** `model-lab train` of the folder's gpt2.experiment.json for 6 steps: it completes and reports its test perplexity. */
function trainLanguageModelBriefly(dir: string): void {
  const runsDir = join(dir, 'runs');
  const trained = modelLab(
    'train',
    join(dir, 'gpt2.experiment.json'),
    '--runs-dir',
    runsDir,
    '--max-steps',
    '6',
  );
  assert.equal(trained.status, 0, trained.stderr);
  assert.match(trained.stderr, /Test \(\d+ examples\): loss \d+\.\d+, accuracy [\d.]+, perplexity [\d.]+/);
  assert.equal(listRuns(runsDir, 'gpt2')[0].info?.status, 'completed');
}

describe('fine-tuning a Hugging Face style export with three inputs', () => {
  it('the scaffold writes the fed input, the filled ones and the sequence length; the file validates', async () => {
    const { experiment, dir, text } = scaffold();
    assert.deepEqual(experiment.model, {
      onnx: 'bert.onnx',
      input: 'input_ids',
      sizes: { sequence: 12 },
      fill: { attention_mask: 1, token_type_ids: 0 },
    });
    assert.equal(experiment.task, 'classification');
    const { problems } = await validateExperiment(parseExperimentText(text), dir);
    assert.deepEqual(problems, []);
  });

  it('a wrong choice is underlined on its own entry, saying what to write', async () => {
    assert.deepEqual(await problemsOn((m) => (m.sizes = { seq: 12 })), [
      {
        message:
          'bert.onnx: sizes names seq, but no input of the graph has an axis of that name after the batch (its named axes: sequence)',
        line: '"seq": 12',
      },
    ]);
    assert.deepEqual(await problemsOn((m) => (m.fill = { attention_mask: 1, token_type_ids: 0.5 })), [
      {
        message: 'bert.onnx: fill gives token_type_ids 0.5, but it holds int64: give a whole number',
        line: '"token_type_ids": 0.5',
      },
    ]);
    const [unfed] = await problemsOn((m) => (m.fill = { attention_mask: 1 }));
    assert.equal(unfed.line, '"fill": {');
    assert.match(
      unfed.message,
      /also reads token_type_ids \(int64 \[batch, sequence\]\), which the data does not feed \(it feeds input_ids\): .*"fill": \{ "token_type_ids": 0 \}/,
    );
    const [unsized] = await problemsOn((m) => delete m.sizes);
    assert.equal(unsized.line, '"onnx": "bert.onnx",');
    assert.match(
      unsized.message,
      /does not say how long sequence is: .*e\.g\. "sizes": \{ "sequence": 128 \}/,
    );
    assert.deepEqual(
      await problemsOn((m) => (m.fill = { attention_mask: { padToken: -1 }, token_type_ids: 0 })),
      [{ message: 'model.fill.attention_mask.padToken must be ≥ 0', line: '"padToken": -1' }],
    );
    assert.deepEqual(await problemsOn((m) => (m.fill = { attention_mask: 'ones', token_type_ids: 0 })), [
      {
        message:
          'model.fill.attention_mask: a number fed at every position, { "padToken": id } for a mask of the padding, or { "padToken": id, "secondTextAfter": id } for the token type ids of pairs of texts',
        line: '"attention_mask": "ones",',
      },
    ]);
    // Ten token columns against a sequence of 12: the size to change is the sequence's.
    const [short] = await problemsOn(() => {}, idsCsv(idRows(20), 10));
    assert.equal(short.line, '"sizes": {');
    assert.match(
      short.message,
      /examples of shape \[10\] \(10 values\), but input input_ids of bert\.onnx takes \[12\]/,
    );
  });

  it('examples padded with token 0 train with the mask of their padding ({ "padToken": 0 })', async () => {
    const { dir, file } = scaffold((m) => (m.fill = { attention_mask: { padToken: 0 }, token_type_ids: 0 }));
    // Rows of 4 to 12 tokens (none of them 0), padded with 0 to 12.
    const rows = idRows(60).map((row, r) => ({
      ...row,
      ids: row.ids.map((id, i) => (i < 4 + (r % 9) ? id || 1 : 0)),
    }));
    writeFileSync(join(dir, 'data.csv'), idsCsv(rows));
    const { problems } = await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir);
    assert.deepEqual(problems, []);
    const runsDir = join(dir, 'runs');
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '4');
    assert.equal(trained.status, 0, trained.stderr);
    assert.equal(listRuns(runsDir, 'bert')[0].info?.status, 'completed');
  });

  it("a table of texts is read with the model's tokenizer.json (data.tokenizer), padded with its pad token, and trains", async () => {
    // As Fine-tune… scaffolds it with tokenizer.json beside the model (its pad token [PAD] is id 0).
    const tokenizers = join(__dirname, '..', '..', 'fixtures', 'tokenizers', 'wordpiece');
    const facts = tokenizerFacts(join(tokenizers, 'tokenizer.json'));
    // [PAD] is 0; a pair's second text follows the first [SEP] (3).
    assert.deepEqual(facts, { padId: 0, secondTextAfter: 3 });
    const { dir, file, experiment } = scaffold(() => {}, { file: 'tokenizer.json', ...facts });
    assert.equal(experiment.data.tokenizer, 'tokenizer.json');
    assert.deepEqual(experiment.model, {
      onnx: 'bert.onnx',
      input: 'input_ids',
      sizes: { sequence: 12 },
      fill: { attention_mask: { padToken: 0 }, token_type_ids: { padToken: 0, secondTextAfter: 3 } },
    });
    for (const name of ['tokenizer.json', 'tokenizer_config.json'])
      copyFileSync(join(tokenizers, name), join(dir, name));
    const texts = ['The cat sat on the mat.', 'An awful, boring film!', 'I love this movie, it was great.'];
    const rows = Array.from({ length: 45 }, (_, r) => `"${texts[r % 3]}",${r % 3}`);
    writeFileSync(join(dir, 'reviews.csv'), ['review,label', ...rows].join('\n') + '\n');
    experiment.data.source = 'reviews.csv';
    writeFileSync(file, JSON.stringify(experiment, null, 2));
    const parsed = parseExperimentText(readFileSync(file, 'utf8'));
    const validated = await validateExperiment(parsed, dir);
    assert.deepEqual(validated.problems, []);

    // The rows are the tokenizer's ids: [CLS] the cat sat on the mat . [SEP], then [PAD] to 12.
    const dataset = await loadDataset(validated.experiment!, dir);
    const arrays = dataset.arrays();
    assert.ok(arrays.kind === 'rows');
    assert.deepEqual(dataset.inputShape, [12]);
    assert.deepEqual(Array.from(arrays.x.subarray(0, 12), Number), [2, 5, 7, 9, 11, 5, 12, 33, 3, 0, 0, 0]);

    const runsDir = join(dir, 'runs');
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '4');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'bert');
    assert.equal(run.info?.status, 'completed');
    // The run keeps the tokenizer beside its model.onnx, which then reads texts as it was trained.
    for (const name of ['tokenizer.json', 'tokenizer_config.json'])
      assert.deepEqual(readFileSync(join(run.dir, name)), readFileSync(join(tokenizers, name)), name);
    const scored = await evaluateOnnxOnData(
      join(run.dir, RUN_FILES.model),
      join(dir, 'reviews.csv'),
      createTrainerDeps(),
      { sequence: 12 },
    );
    assert.equal(scored.count, 45);

    // The playground reads a typed text as the rows were read: [CLS] the cat sat on the mat . [SEP].
    const ids = [2, 5, 7, 9, 11, 5, 12, 33, 3, 0, 0, 0];
    await assertTypedTextsScored(run.dir, ['review'], ['The cat sat on the mat.'], {
      input_ids: ids,
      attention_mask: ids.map((id) => (id === 0 ? 0 : 1)),
      token_type_ids: ids.map(() => 0),
    });

    // A second feature column: which one is the text?
    writeFileSync(
      join(dir, 'reviews.csv'),
      ['review,stars,label', ...rows.map((r) => r.replace(/,(\d)$/, ',5,$1'))].join('\n'),
    );
    const [twoColumns] = (await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir))
      .problems;
    assert.match(
      twoColumns.message,
      /data\.tokenizer reads one column of text beside the target, or two named in data\.columns for pairs of texts, but the table has 2 feature columns \("review", "stars"\): name the text column in data\.columns/,
    );
    assert.equal(
      readFileSync(file, 'utf8').split('\n')[twoColumns.range.start.line].trim(),
      '"tokenizer": "tokenizer.json",',
    );

    // A tokenizer reads tables only.
    writeFileSync(join(dir, 'reviews.txt'), texts.join(' '));
    writeFileSync(
      file,
      JSON.stringify({ ...experiment, data: { ...experiment.data, source: 'reviews.txt' } }, null, 2),
    );
    const [notTable] = (await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir))
      .problems;
    assert.equal(
      notTable.message,
      'data.tokenizer turns the text column of a .csv or .tsv table into token ids, and reviews.txt is not one',
    );
  });

  it('pairs of texts in two named columns are joined and cut as the tokenizer does, with their type ids, and train', async () => {
    const tokenizers = join(__dirname, '..', '..', 'fixtures', 'tokenizers', 'wordpiece');
    const facts = tokenizerFacts(join(tokenizers, 'tokenizer.json'));
    const { dir, file, experiment } = scaffold(() => {}, { file: 'tokenizer.json', ...facts });
    for (const name of ['tokenizer.json', 'tokenizer_config.json'])
      copyFileSync(join(tokenizers, name), join(dir, name));
    const pairs = [
      ['The cat sat.', 'The dog ran!'],
      ['the cat sat on the mat and the dog ran on the mat', 'a dog'],
      ['I love this movie.', 'It was great, so fun.'],
    ];
    const rows = Array.from({ length: 45 }, (_, r) => `"${pairs[r % 3][0]}","${pairs[r % 3][1]}",${r % 3}`);
    writeFileSync(join(dir, 'nli.csv'), ['premise,hypothesis,label', ...rows].join('\n') + '\n');
    experiment.data.source = 'nli.csv';
    experiment.data.columns = ['premise', 'hypothesis'];
    writeFileSync(file, JSON.stringify(experiment, null, 2));
    const validated = await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir);
    assert.deepEqual(validated.problems, []);

    const dataset = await loadDataset(validated.experiment!, dir);
    const arrays = dataset.arrays();
    assert.ok(arrays.kind === 'rows');
    const row = (r: number) => Array.from(arrays.x.subarray(r * 12, (r + 1) * 12), Number);
    // [CLS] the cat sat . [SEP] the dog ran ! [SEP] [PAD]
    assert.deepEqual(row(0), [2, 5, 7, 9, 33, 3, 5, 8, 10, 35, 3, 0]);
    // 12 and 2 tokens in 12 - 3 places: the longer is cut to 7, the shorter kept (longest_first).
    // [CLS] the cat sat on the mat and [SEP] a dog [SEP]
    assert.deepEqual(row(1), [2, 5, 7, 9, 11, 5, 12, 38, 3, 6, 8, 3]);

    const runsDir = join(dir, 'runs');
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '4');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'bert');
    assert.equal(run.info?.status, 'completed');
    // The playground reads a typed pair as the rows were read, the second text's type ids 1.
    await assertTypedTextsScored(run.dir, ['premise', 'hypothesis'], pairs[0], {
      input_ids: [2, 5, 7, 9, 33, 3, 5, 8, 10, 35, 3, 0],
      attention_mask: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0],
      token_type_ids: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0],
    });

    // Type ids of 0 everywhere read the pair as one text: a warning on that entry says what to write.
    const flat = {
      ...experiment,
      model: { ...experiment.model, fill: { attention_mask: { padToken: 0 }, token_type_ids: 0 } },
    };
    writeFileSync(file, JSON.stringify(flat, null, 2));
    const warned = await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir);
    assert.deepEqual(
      warned.problems.map((p) => [
        p.severity,
        p.message,
        readFileSync(file, 'utf8').split('\n')[p.range.start.line].trim(),
      ]),
      [
        [
          'warning',
          'the data holds pairs of texts, but token_type_ids does not tell them apart: give it the type ids of pairs, "token_type_ids": { "padToken": 0, "secondTextAfter": 3 }',
          '"token_type_ids": 0',
        ],
      ],
    );

    // Pairs need their columns named: a third text column is refused, naming the fix.
    writeFileSync(
      join(dir, 'nli.csv'),
      ['premise,hypothesis,source,label', ...rows.map((r) => r.replace(/,(\d)$/, ',"web",$1'))].join('\n'),
    );
    experiment.data.columns = ['premise', 'hypothesis', 'source'];
    writeFileSync(file, JSON.stringify(experiment, null, 2));
    const [three] = (await validateExperiment(parseExperimentText(readFileSync(file, 'utf8')), dir)).problems;
    assert.match(
      three.message,
      /reads one column of text beside the target, or two named in data\.columns for pairs of texts, but the table has 3 feature columns \("premise", "hypothesis", "source"\): .*"columns": \["premise", "hypothesis"\]/,
    );
    assert.equal(readFileSync(file, 'utf8').split('\n')[three.range.start.line].trim(), '"columns": [');
  });

  it('model-lab train fine-tunes it; the export reads all three inputs at any batch and sequence length', async () => {
    const { dir, file } = scaffold();
    const runsDir = join(dir, 'runs');
    const trained = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '6');
    assert.equal(trained.status, 0, trained.stderr);
    const [run] = listRuns(runsDir, 'bert');
    assert.equal(run.info?.status, 'completed');
    const losses = readMetrics(run.dir).filter((r) => r.split === 'train' && r.name === 'loss');
    assert.equal(losses.length, 6);
    assert.ok(losses.every((r) => Number.isFinite(r.value)));

    const exported = await ort.InferenceSession.create(readFileSync(join(run.dir, RUN_FILES.model)));
    const original = await ort.InferenceSession.create(readFileSync(BERT));
    assert.deepEqual(exported.inputNames, ['input_ids', 'attention_mask', 'token_type_ids']);
    const [batch, length] = [5, 7];
    const ids = BigInt64Array.from({ length: batch * length }, (_, i) => BigInt((i * 13) % 50));
    const feeds = {
      input_ids: new ort.Tensor('int64', ids, [batch, length]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * length).fill(1n), [batch, length]),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch * length), [batch, length]),
    };
    const tuned = (await exported.run(feeds)).logits.data as Float32Array;
    const before = (await original.run(feeds)).logits.data as Float32Array;
    assert.equal(tuned.length, batch * 3);
    assert.ok(
      tuned.some((v, i) => Math.abs(v - before[i]) > 1e-4),
      'fine-tuning changed the outputs',
    );
    await exported.release();
    await original.release();
  });

  it('onnx check says what it assumed, and takes --size and --fill', () => {
    const defaults = modelLab('onnx', 'check', BERT);
    assert.equal(defaults.status, 0, defaults.stdout + defaults.stderr);
    assert.match(
      defaults.stdout,
      /Checked with: sequence = 8, attention_mask filled with 1, token_type_ids filled with 0/,
    );
    const given = modelLab(
      'onnx',
      'check',
      BERT,
      '--size',
      'sequence=5',
      '--fill',
      'attention_mask=1',
      '--json',
    );
    assert.equal(given.status, 0, given.stderr);
    assert.deepEqual((JSON.parse(given.stdout) as { assumed?: string[] }).assumed, [
      'token_type_ids filled with 0',
    ]);
    const misspelt = modelLab('onnx', 'check', BERT, '--size', 'seq=5');
    assert.equal(misspelt.status, 3, misspelt.stderr);
    assert.match(misspelt.stdout, /sizes names seq, but no input of the graph has an axis of that name/);
    const malformed = modelLab('onnx', 'check', BERT, '--size', 'sequence');
    assert.notEqual(malformed.status, 0);
    assert.match(malformed.stderr, /expected name=number, e\.g\. sequence=128/);
  });

  it('Evaluate on data… scores a CSV of token ids as onnxruntime does, the sequence sized from its columns', async () => {
    const rows = idRows(30);
    const data = join(root, 'ids.csv');
    writeFileSync(data, idsCsv(rows));
    const result = await evaluateOnnxOnData(BERT, data, createTrainerDeps());
    const session = await ort.InferenceSession.create(BERT);
    const n = rows.length * SEQUENCE;
    const logits = (
      await session.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from(rows.flatMap((r) => r.ids.map(BigInt))), [
          rows.length,
          SEQUENCE,
        ]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(n).fill(1n), [rows.length, SEQUENCE]),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(n), [rows.length, SEQUENCE]),
      })
    ).logits.data as Float32Array;
    await session.release();
    const expected = classificationScores(
      logits,
      rows.map((r) => r.label),
      3,
    );
    assert.equal(result.count, rows.length);
    assert.ok(Math.abs((result.values.loss ?? NaN) - expected.loss) < 1e-5, `${result.values.loss}`);
    assert.equal(result.values.accuracy, expected.accuracy);
  });

  it('Evaluate on data… beside the tokenizer reads a table of texts or pairs as the tokenizer encodes them', async () => {
    const dir = mkdtempSync(join(root, 'evaluate-texts-'));
    const model = join(dir, 'bert.onnx');
    copyFileSync(BERT, model);
    for (const name of ['tokenizer.json', 'tokenizer_config.json'])
      copyFileSync(join(WORDPIECE, name), join(dir, name));
    const tokenizer = await loadTextTokenizer(join(dir, 'tokenizer.json'), 'tokenizer.json');
    const at = { file: 'texts.csv', line: 2 };
    /** The scores onnxruntime gives the tokenized rows, with the tokenizer's own mask and type ids. */
    const expectedScores = async (ids: number[][], labels: number[]) => {
      const flat = ids.flat();
      const dims = [ids.length, SEQUENCE];
      const tensor = (values: number[]) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);
      const session = await ort.InferenceSession.create(model);
      const { logits } = await session.run({
        input_ids: tensor(flat),
        attention_mask: tensor(idFill({ padToken: 0 }, flat, SEQUENCE)),
        token_type_ids: tensor(idFill({ padToken: 0, secondTextAfter: 3 }, flat, SEQUENCE)),
      });
      await session.release();
      return classificationScores(logits.data as Float32Array, labels, 3);
    };

    const texts = ['The cat sat on the mat.', 'An awful, boring film!', 'I love this movie, it was great.'];
    const labels = Array.from({ length: 12 }, (_, r) => r % 3);
    writeFileSync(
      join(dir, 'texts.csv'),
      ['review,label', ...labels.map((l, r) => `"${texts[r % 3]}",${l}`)].join('\n') + '\n',
    );
    const single = await evaluateOnnxOnData(model, join(dir, 'texts.csv'), createTrainerDeps(), {
      sequence: SEQUENCE,
    });
    const singleExpected = await expectedScores(
      labels.map((_, r) => tokenizer.encode(texts[r % 3], SEQUENCE, at)),
      labels,
    );
    assert.equal(single.count, 12);
    assert.ok(Math.abs((single.values.loss ?? NaN) - singleExpected.loss) < 1e-5, `${single.values.loss}`);

    const pairs = [
      ['The cat sat.', 'The dog ran!'],
      ['I love this movie.', 'It was so fun.'],
      ['the cat sat on the mat and the dog ran on the mat', 'a dog'],
    ];
    writeFileSync(
      join(dir, 'pairs.csv'),
      [
        'premise,hypothesis,label',
        ...labels.map((l, r) => `"${pairs[r % 3][0]}","${pairs[r % 3][1]}",${l}`),
      ].join('\n') + '\n',
    );
    const paired = await evaluateOnnxOnData(model, join(dir, 'pairs.csv'), createTrainerDeps(), {
      sequence: SEQUENCE,
    });
    const pairedExpected = await expectedScores(
      labels.map((_, r) => tokenizer.encodePair(pairs[r % 3][0], pairs[r % 3][1], SEQUENCE, at)),
      labels,
    );
    assert.ok(Math.abs((paired.values.loss ?? NaN) - pairedExpected.loss) < 1e-5, `${paired.values.loss}`);
    assert.equal(paired.values.accuracy, pairedExpected.accuracy);

    // Texts say nothing of their length in tokens: without one, the sequence's size is asked for.
    await assert.rejects(
      evaluateOnnxOnData(model, join(dir, 'texts.csv'), createTrainerDeps()),
      /does not say how long sequence is/,
    );
  });

  it('a GPT-2 style export (logits at every position) fine-tunes as a language model on windows of a text', () => {
    const dir = mkdtempSync(join(root, 'gpt2-'));
    const file = join(dir, 'gpt2.onnx');
    copyFileSync(join(__dirname, '..', '..', 'fixtures', 'onnx-zoo', 'gpt2-style-opset17.onnx'), file);
    const onnx = readOnnxFile(file);
    const experiment = onnxExperiment(
      planImport(onnx, defaultImportOptions(onnx, { sequence: 16 })),
      'gpt2.onnx',
      'gpt2',
    );
    assert.equal(experiment.task, 'language-model');
    assert.deepEqual(experiment.model, {
      onnx: 'gpt2.onnx',
      input: 'input_ids',
      sizes: { sequence: 16 },
      fill: { attention_mask: 1 },
    });
    const source = (experiment.data as { source: string }).source;
    writeFileSync(join(dir, source), 'the cat sat on the mat and the dog ran far away. '.repeat(40));
    writeFileSync(join(dir, 'gpt2.experiment.json'), JSON.stringify(experiment, null, 2));
    trainLanguageModelBriefly(dir);
  });

  it("a GPT-2 style export saved with its tokenizer.json reads its text as that tokenizer's tokens: scaffold, windows, training, evaluation", async () => {
    const dir = mkdtempSync(join(root, 'gpt2-tokenizer-'));
    const file = join(dir, 'gpt2.onnx');
    copyFileSync(join(__dirname, '..', '..', 'fixtures', 'onnx-zoo', 'gpt2-style-opset17.onnx'), file);
    for (const name of ['tokenizer.json', 'tokenizer_config.json'])
      copyFileSync(join(WORDPIECE, name), join(dir, name));
    const onnx = readOnnxFile(file);
    const experiment = onnxExperiment(
      planImport(onnx, defaultImportOptions(onnx, { sequence: 8 })),
      'gpt2.onnx',
      'gpt2',
      { file: 'tokenizer.json', ...tokenizerFacts(join(dir, 'tokenizer.json')) },
    );
    assert.equal(experiment.task, 'language-model');
    assert.deepEqual(experiment.data, {
      source: 'data.txt',
      contextLength: 8,
      tokenizer: 'tokenizer.json',
      splits: { train: 0.8, validation: 0.1, test: 0.1 },
      seed: 1,
    });
    // "the cat sat on the mat ." is 7 of the fixture's word pieces: 5 7 9 11 5 12 33, no [CLS] or [SEP].
    const sentences = 60;
    writeFileSync(join(dir, 'data.txt'), 'The cat sat on the mat. '.repeat(sentences));
    writeFileSync(join(dir, 'gpt2.experiment.json'), JSON.stringify(experiment, null, 2));
    const { problems } = await validateExperiment(
      parseExperimentText(readFileSync(join(dir, 'gpt2.experiment.json'), 'utf8')),
      dir,
    );
    assert.deepEqual(problems, []);
    const dataset = await loadDataset(experiment, dir);
    const arrays = dataset.arrays?.();
    assert.equal(arrays?.kind, 'text');
    assert.deepEqual(Array.from(arrays.ids.slice(0, 9)), [5, 7, 9, 11, 5, 12, 33, 5, 7]);
    assert.equal(arrays.ids.length, 7 * sentences);
    assert.deepEqual(dataset.outputShape, [8, 50], "scores over the model's 50 ids");
    assert.equal(dataset.vocab?.decode([5, 7, 9]), 'the cat sat');
    assert.deepEqual(Array.from(dataset.vocab!.encodeKnown('The mat!'), Number), [5, 12, 35]);

    trainLanguageModelBriefly(dir);

    // "Evaluate on data…": every window of 8 + 1 tokens of the whole text, read through the tokenizer.
    const scored = await evaluateOnnxOnData(file, join(dir, 'data.txt'), createTrainerDeps(), {
      sequence: 8,
    });
    assert.equal(scored.task, 'language-model');
    assert.equal(scored.count, Math.floor((7 * sentences - 1) / 8));

    // A tokenizer that gives an id the model has no embedding for is refused on data.tokenizer.
    const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'));
    json.model.vocab.zebra = 60;
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'data.txt'), 'the zebra sat on the mat. '.repeat(sentences));
    await assert.rejects(loadDataset(experiment, dir), (error: unknown) => {
      assert.ok(error instanceof DataError);
      assert.deepEqual(error.field, ['data', 'tokenizer']);
      assert.match(
        error.message,
        /tokenizer\.json gives token id 60, but the model knows 50 ids: is it the tokenizer the model was trained with\?/,
      );
      return true;
    });
  });
});
