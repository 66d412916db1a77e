/**
 * A text sample from a character language model: starting from a window of
 * test text, predict the next character, sample it (softmax with a
 * temperature), slide the window, repeat.
 */
import type { TrainableModel } from '../engine/api';
import type { Rng, Vocabulary } from '../data/api';

/** Below 1 the sample favours likely characters: more readable, less varied. */
const TEMPERATURE = 0.8;

function sampleIndex(logits: Float32Array, rng: Rng): number {
  let max = -Infinity;
  for (const logit of logits) max = Math.max(max, logit);
  const weights = Array.from(logits, (logit) => Math.exp((logit - max) / TEMPERATURE));
  let threshold = rng.next() * weights.reduce((sum, w) => sum + w, 0);
  for (let i = 0; i < weights.length; i++) {
    threshold -= weights[i];
    if (threshold <= 0) return i;
  }
  return weights.length - 1;
}

/** `length` generated characters following `prompt` (a full context window of token ids). */
export async function generateText(
  model: TrainableModel,
  vocab: Vocabulary,
  prompt: BigInt64Array,
  length: number,
  rng: Rng,
): Promise<string> {
  const window = BigInt64Array.from(prompt);
  const contextLength = window.length;
  const vocabSize = vocab.tokens.length;
  const generated: number[] = [];
  for (let i = 0; i < length; i++) {
    const outputs = await model.predict(window, 1);
    const last = outputs.subarray((contextLength - 1) * vocabSize, contextLength * vocabSize);
    const next = sampleIndex(last, rng);
    generated.push(next);
    window.copyWithin(0, 1);
    window[contextLength - 1] = BigInt(next);
  }
  return vocab.decode(generated);
}
