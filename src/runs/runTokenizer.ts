/**
 * A run of a model that reads texts through a Hugging Face tokenizer (`data.tokenizer`) keeps
 * that tokenizer beside its model.onnx, as save_pretrained leaves them: tokenizer.json, and
 * tokenizer_config.json when the tokenizer has one beside it. The run folder's model then reads
 * texts as it was trained (data/textTokenizer.ts `tokenizerBeside` finds them there).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './atomicFile';

/** The tokenizer's files beside a model, as save_pretrained names them. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;

export function copyTokenizerInto(runDir: string, tokenizerPath: string): void {
  const [json, config] = TOKENIZER_FILES;
  const configPath = join(dirname(tokenizerPath), config);
  writeFileAtomic(join(runDir, json), readFileSync(tokenizerPath), runDir);
  if (existsSync(configPath)) writeFileAtomic(join(runDir, config), readFileSync(configPath), runDir);
}
