/**
 * The playground's model: a run compiled as it trained, with its best checkpoint (else the
 * last) loaded, answering one request at a time in the training process (never in the
 * extension host). Image and table classifiers return class probabilities; language models
 * generate text one character at a time with a temperature and top-k.
 */
import * as l10n from '@vscode/l10n';
import { dirname } from 'node:path';
import type { CheckpointKind } from '../contract/checkpointKind';
import { DataError, type Dataset, type Vocabulary } from '../data/api';
import type { Experiment } from '../contract/experiment';
import type { TrainableModel } from '../engine/api';
import type { AttentionSnapshot } from '../contract/attentionSnapshot';
import type { FeatureMapView } from '../protocol/featureMaps';
import type { RecurrentView } from '../protocol/recurrentView';
import type { PlaygroundModelInfo } from '../protocol/playground';
import { loadCheckpoint, type Checkpoint } from '../runs/checkpoints';
import { readRunInfo } from '../runs/runReader';
import { featureMapView } from './featureMapView';
import { attentionSnapshot } from './probe';
import { recurrentView, type RecurrentInput } from './recurrentView';
import { rowProbabilities } from './mistakes';
import { compileOptionsFor } from './trainer';
import type { TrainerDeps } from './trainerDeps';
import { restoreCheckpoint } from './restoreCheckpoint';
import { readTypedCharacters, typedCharacterVocabulary } from './typedCharacters';

function newestCheckpoint(runDir: string): { kind: CheckpointKind; checkpoint: Checkpoint } {
  try {
    return { kind: 'best', checkpoint: loadCheckpoint(runDir, 'best') };
  } catch {
    return { kind: 'last', checkpoint: loadCheckpoint(runDir, 'last') };
  }
}

export class PlaygroundSession {
  private constructor(
    private readonly model: TrainableModel,
    private readonly dataset: Dataset,
    readonly info: PlaygroundModelInfo,
    private readonly experiment: string,
    private readonly config: Experiment,
  ) {}

  static async open(
    runDir: string,
    deps: Pick<TrainerDeps, 'loadDataset' | 'compileModel'>,
  ): Promise<PlaygroundSession> {
    const run = readRunInfo(runDir);
    if (!run) throw new Error(l10n.t('{0} has no readable run.json.', runDir));
    const { kind, checkpoint } = newestCheckpoint(runDir);
    const experimentDir = dirname(run.experimentFile);
    const dataset = await deps.loadDataset(run.config, experimentDir);
    const model = await deps.compileModel(compileOptionsFor(run.config, dataset, 'cpu', experimentDir));
    await restoreCheckpoint(model, runDir, kind, checkpoint);
    const task = run.config.task;
    const shape = dataset.inputShape;
    const info: PlaygroundModelInfo = {
      kind:
        task === 'language-model'
          ? 'text'
          : dataset.typedTexts
            ? 'texts'
            : typedCharacterVocabulary(dataset, task)
              ? 'characters'
              : shape.length === 3 && (shape[0] === 1 || shape[0] === 3)
                ? 'image'
                : 'table',
      inputShape: shape,
      ...(dataset.typedTexts ? { textColumns: dataset.typedTexts.columns } : {}),
      labels: dataset.classes ?? [],
      checkpoint: kind,
      step: checkpoint.position.step,
      digits: run.config.data.source === 'builtin:digits',
    };
    if (info.kind === 'text' && !dataset.vocab)
      throw new Error(l10n.t('{0} has no vocabulary.', run.experiment));
    return new PlaygroundSession(model, dataset, info, run.experiment, run.config);
  }

  /**
   * Class probabilities for one example as the data gives it (pixels 0–1, or a table row in
   * the file's units: the loader's feature scaling is applied here, as training saw it).
   */
  async classify(input: number[]): Promise<number[]> {
    this.refuseUnlessClassifier();
    const size = this.info.inputShape.reduce((a, b) => a * b, 1);
    if (input.length !== size)
      throw new Error(l10n.t('the model takes {0} values per example, not {1}', size, input.length));
    const scaling = this.dataset.inputScaling;
    const width = this.info.inputShape.at(-1) ?? 1;
    const x = Float32Array.from(input, (v, i) => {
      const s = scaling?.[i % width];
      return s ? (v - s.shift) / s.scale : v;
    });
    return rowProbabilities(await this.model.predict(x, 1));
  }

  /** Class probabilities of a name (or any text) typed for a character classifier. */
  async classifyText(text: string): Promise<number[]> {
    this.refuseUnlessClassifier();
    const vocab = typedCharacterVocabulary(this.dataset, this.config.task);
    if (!vocab) throw new Error(l10n.t('{0} does not read typed characters.', this.experiment));
    const { ids } = readTypedCharacters(vocab, text, this.info.inputShape[0]);
    return rowProbabilities(await this.model.predict(ids, 1));
  }

  /** Class probabilities of texts typed for a model that reads them through its tokenizer (one per text column). */
  async classifyTexts(texts: string[]): Promise<number[]> {
    this.refuseUnlessClassifier();
    const typed = this.dataset.typedTexts;
    if (!typed) throw new Error(l10n.t('{0} does not read texts through a tokenizer.', this.experiment));
    if (texts.length !== typed.columns.length)
      throw new Error(
        l10n.t('the model reads {0} texts per example, not {1}', typed.columns.length, texts.length),
      );
    try {
      return rowProbabilities(await this.model.predict(typed.encode(texts), 1));
    } catch (error) {
      // The typed text has no file or line to point at.
      throw error instanceof DataError ? new Error(error.message) : error;
    }
  }

  /**
   * Attention maps of every attention layer over the last context-length characters of `text`
   * (a prompt and its generated continuation) that the vocabulary knows.
   */
  async textAttention(text: string): Promise<AttentionSnapshot> {
    const vocab = this.dataset.vocab;
    if (this.info.kind !== 'text' || !vocab)
      throw new Error(l10n.t('{0} is not a language model: it has no text attention.', this.experiment));
    const ids = knownIds(vocab, text).slice(-this.info.inputShape[0]);
    if (ids.length === 0) throw new Error(l10n.t('The text has no character the model knows.'));
    const tokens = ids.map((id) => vocab.tokens[id]);
    const snapshot = await attentionSnapshot(
      this.model,
      { ids: BigInt64Array.from(ids, BigInt), tokens },
      this.info.step,
    );
    if (snapshot.layers.length === 0)
      throw new Error(l10n.t('{0} has no attention layers.', this.experiment));
    return snapshot;
  }

  /** The CNN inside view of test example `example`, from the loaded checkpoint. */
  featureMaps(example: number): Promise<FeatureMapView> {
    return featureMapView(this.model, this.dataset, example, this.source());
  }

  /** The LSTM/GRU inside view of a test example or typed text, from the loaded checkpoint. */
  recurrent(input: RecurrentInput): Promise<RecurrentView> {
    const { model, dataset, config } = this;
    return recurrentView(
      { model, dataset, layers: config.model.layers ?? [], task: config.task },
      input,
      this.source(),
    );
  }

  private source() {
    const { checkpoint, step } = this.info;
    return { experiment: this.experiment, checkpoint, step };
  }

  /** The playground's classifier requests answer classifiers only (a regression has no classes). */
  private refuseUnlessClassifier(): void {
    if (this.config.task !== 'classification')
      throw new Error(
        l10n.t(
          'The playground answers classifiers and language models; {0} is {1}.',
          this.experiment,
          this.config.task,
        ),
      );
  }

  /**
   * Generates `length` characters after `prompt`, calling `onText` with each. A prompt shorter
   * than the context sits at its start (a causal model reads nothing after the position it
   * predicts from); a longer one keeps its end. Characters outside the vocabulary are dropped.
   */

  async generate(
    prompt: string,
    options: { temperature: number; topK: number; length: number; random: () => number },
    onText: (text: string) => void,
  ): Promise<void> {
    const vocab = this.dataset.vocab as Vocabulary;
    const context = this.info.inputShape[0];
    let ids = knownIds(vocab, prompt);
    if (ids.length === 0) ids = [firstToken(vocab)];
    const vocabSize = vocab.tokens.length;
    // The prompt and continuation are decoded together and only the new end is sent: a tokenizer's
    // word pieces ("un", "##like") and the spaces between words only come out right in context.
    let shown = vocab.decode(ids);
    for (let i = 0; i < options.length; i++) {
      const window = ids.slice(-context);
      const position = window.length - 1;
      const x = BigInt64Array.from({ length: context }, (_, t) => BigInt(window[t] ?? window[position]));
      const outputs = await this.model.predict(x, 1);
      const logits = outputs.subarray(position * vocabSize, (position + 1) * vocabSize);
      const next = sampleTopK(logits, options.temperature, options.topK, options.random());
      ids.push(next);
      const text = vocab.decode(ids);
      let same = 0;
      while (same < shown.length && text[same] === shown[same]) same++;
      if (text.length > same) onText(text.slice(same));
      shown = text;
    }
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

/** Ids of what the vocabulary knows of `text`; characters it lacks are dropped. */
const knownIds = (vocab: Vocabulary, text: string): number[] => Array.from(vocab.encodeKnown(text), Number);

const firstToken = (vocab: Vocabulary): number => vocab.tokens.findIndex((t) => t !== '');

/**
 * The index drawn from softmax(logits / temperature) over the `topK` largest logits (0: all),
 * using `u` uniform in [0, 1).
 */
export function sampleTopK(logits: ArrayLike<number>, temperature: number, topK: number, u: number): number {
  const order = Array.from(logits, (l, i) => ({ l, i })).sort((a, b) => b.l - a.l);
  const kept = topK > 0 ? order.slice(0, topK) : order;
  const max = kept[0].l;
  const weights = kept.map(({ l }) => Math.exp((l - max) / temperature));
  let threshold = u * weights.reduce((a, b) => a + b, 0);
  for (let k = 0; k < kept.length; k++) {
    threshold -= weights[k];
    if (threshold < 0) return kept[k].i;
  }
  return kept[kept.length - 1].i;
}
