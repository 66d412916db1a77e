/**
 * Split and metric name of a scalar logged by another tool: TensorBoard tags such as
 * `train/loss`, `Loss/val` or `val_acc`, Lightning CSV columns such as `val_loss` or
 * `train_acc_epoch`. A part naming a split (train, val, valid, validation, test, eval)
 * chooses it; the rest is the name. Without one the scalar counts as training.
 */
import type { Split } from '../../contract/runStatus';

const SPLIT_WORDS: Record<string, Split> = {
  train: 'train',
  training: 'train',
  val: 'validation',
  valid: 'validation',
  validation: 'validation',
  eval: 'validation',
  test: 'test',
};

export function splitAndName(tag: string): { split: Split; name: string } {
  const parts = tag.split(/[/_]/).filter(Boolean);
  const at = parts.findIndex((part) => SPLIT_WORDS[part.toLowerCase()] !== undefined);
  if (at < 0) return { split: 'train', name: tag };
  const split = SPLIT_WORDS[parts[at].toLowerCase()];
  const rest = parts.filter((_, i) => i !== at);
  return { split, name: rest.length > 0 ? rest.join('_').toLowerCase() : 'value' };
}
