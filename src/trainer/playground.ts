/**
 * The playground's model: a run compiled as it trained, with its best checkpoint (else the
 * last) loaded, answering one request at a time in the training process (never in the
 * extension host). Image and table classifiers return class probabilities; language models
 * generate text one character at a time with a temperature and top-k.
 */
import * as l10n from '@vscode/l10n';
import { dirname } from 'node:path';
import type { CheckpointKind } from '../contract/checkpointKind';
import type { Dataset, Vocabulary } from '../data/api';
import type { TrainableModel } from '../engine/api';
import type { FeatureMapView } from '../protocol/featureMaps';
import type { PlaygroundModelInfo } from '../protocol/playground';
import { loadCheckpoint, type Checkpoint } from '../runs/checkpoints';
import { readRunInfo } from '../runs/runReader';
import { featureMapView } from './featureMapView';
import { rowProbabilities } from './mistakes';
import { compileOptionsFor } from './trainer';
import type { TrainerDeps } from './trainerDeps';

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
    await model.setState(checkpoint.state);
    const task = run.config.task;
    const shape = dataset.inputShape;
    const info: PlaygroundModelInfo = {
      kind:
        task === 'language-model'
          ? 'text'
          : shape.length === 3 && (shape[0] === 1 || shape[0] === 3)
            ? 'image'
            : 'table',
      inputShape: shape,
      labels: dataset.classes ?? [],
      checkpoint: kind,
      step: checkpoint.position.step,
      digits: run.config.data.source === 'builtin:digits',
    };
    if (info.kind === 'text' && !dataset.vocab)
      throw new Error(l10n.t('{0} has no vocabulary.', run.experiment));
    if (info.kind !== 'text' && dataset.inputKind === 'tokens')
      throw new Error(
        l10n.t(
          'The playground draws images, fills in table rows and prompts language models; {0} classifies character sequences, which it does not take yet.',
          run.experiment,
        ),
      );
    if (info.kind !== 'text' && task !== 'classification')
      throw new Error(
        l10n.t('The playground answers classifiers and language models; {0} is {1}.', run.experiment, task),
      );
    return new PlaygroundSession(model, dataset, info, run.experiment);
  }

  /**
   * Class probabilities for one example as the data gives it (pixels 0–1, or a table row in
   * the file's units: the loader's feature scaling is applied here, as training saw it).
   */
  async classify(input: number[]): Promise<number[]> {
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

  /**
   * Generates `length` characters after `prompt`, calling `onText` with each. A prompt shorter
   * than the context sits at its start (a causal model reads nothing after the position it
   * predicts from); a longer one keeps its end. Characters outside the vocabulary are dropped.
   */
  /** The CNN inside view of test example `example`, from the loaded checkpoint. */
  featureMaps(example: number): Promise<FeatureMapView> {
    const { checkpoint, step } = this.info;
    return featureMapView(this.model, this.dataset, example, {
      experiment: this.experiment,
      checkpoint,
      step,
    });
  }

  async generate(
    prompt: string,
    options: { temperature: number; topK: number; length: number; random: () => number },
    onText: (text: string) => void,
  ): Promise<void> {
    const vocab = this.dataset.vocab as Vocabulary;
    const context = this.info.inputShape[0];
    const known = [...prompt].filter((c) => vocab.tokens.includes(c) && c !== '').join('');
    let ids = Array.from(vocab.encode(known), Number);
    if (ids.length === 0) ids = [firstToken(vocab)];
    const vocabSize = vocab.tokens.length;
    for (let i = 0; i < options.length; i++) {
      const window = ids.slice(-context);
      const position = window.length - 1;
      const x = BigInt64Array.from({ length: context }, (_, t) => BigInt(window[t] ?? window[position]));
      const outputs = await this.model.predict(x, 1);
      const logits = outputs.subarray(position * vocabSize, (position + 1) * vocabSize);
      const next = sampleTopK(logits, options.temperature, options.topK, options.random());
      ids.push(next);
      onText(vocab.decode([next]));
    }
  }

  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

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
