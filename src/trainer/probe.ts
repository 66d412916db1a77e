/** Attention snapshots of the experiment's probe text, in the run-folder format. */
import type { TrainableModel } from '../engine/api';
import type { Vocabulary } from '../data/api';
import type { AttentionSnapshot } from '../contract/attentionSnapshot';

export interface Probe {
  tokens: string[];
  ids: BigInt64Array;
}

/** The probe text as token ids, cut to the model's context length (the engine's shapes are static). */
export function encodeProbe(text: string, vocab: Vocabulary, contextLength: number): Probe {
  const ids = vocab.encode(text).slice(0, contextLength);
  return { ids, tokens: Array.from(ids, (id) => vocab.tokens[Number(id)]) };
}

export async function attentionSnapshot(
  model: TrainableModel,
  probe: Probe,
  step: number,
): Promise<AttentionSnapshot> {
  const maps = await model.attention(probe.ids);
  return {
    step,
    tokens: probe.tokens,
    layers: maps.map((map) => ({
      layer: map.layer,
      heads: map.heads,
      length: map.length,
      probs: Array.from(map.probs, (p) => Math.round(p * 1e5) / 1e5),
    })),
  };
}
