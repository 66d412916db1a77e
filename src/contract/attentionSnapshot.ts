/** Attention maps of a Transformer run for its probe text: an attention/<step>.json file, an event, a panel message. */
import { isFiniteNumber, isRecord as isObject } from './guards';

export interface AttentionSnapshot {
  step: number;
  /** Probe tokens as displayed characters. */
  tokens: string[];
  layers: { layer: number; heads: number; length: number; probs: number[] }[];
}

type AttentionLayer = AttentionSnapshot['layers'][number];

function isAttentionLayer(value: unknown): value is AttentionLayer {
  if (!isObject(value)) return false;
  const { layer, heads, length, probs } = value;
  return (
    Number.isInteger(layer) &&
    Number.isInteger(heads) &&
    Number.isInteger(length) &&
    (heads as number) > 0 &&
    (length as number) > 0 &&
    Array.isArray(probs) &&
    probs.length === (heads as number) * (length as number) * (length as number)
  );
}

/** A well-formed snapshot: every layer's probabilities fill heads × length × length, length = tokens. */
export function isAttentionSnapshot(value: unknown): value is AttentionSnapshot {
  return (
    isObject(value) &&
    isFiniteNumber(value.step) &&
    Array.isArray(value.tokens) &&
    value.tokens.every((t) => typeof t === 'string') &&
    Array.isArray(value.layers) &&
    value.layers.every(isAttentionLayer) &&
    value.layers.every((l: AttentionLayer) => l.length === (value.tokens as string[]).length)
  );
}
