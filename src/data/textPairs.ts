/**
 * Pairs of texts for a Hugging Face tokenizer (a premise and a hypothesis, a question and a
 * passage), as 🤗 Transformers' fast tokenizers read them with `truncation=True`:
 * - the two texts are cut "longest_first", the rule of the tokenizers library's
 *   `truncate_encodings`: the shorter keeps its tokens when it fits in half, else both get half;
 * - the token type ids a BERT gives a pair (0 up to and including the first [SEP], 1 after it,
 *   0 at the padding) follow from the ids alone, so the training graph computes them from the
 *   separator's id (engine/onnx/importForward.ts) and the data feeds one tensor of ids.
 */

/** How long each text of a pair may stay so that both fit in `room` tokens. */
export function longestFirst(first: number, second: number, room: number): [number, number] {
  if (first + second <= room) return [first, second];
  const swap = first > second;
  let [short, long] = swap ? [second, first] : [first, second];
  long = short > room ? short : Math.max(short, room - short);
  if (short + long > room) {
    short = Math.floor(room / 2);
    long = short + (room % 2);
  }
  return swap
    ? [Math.min(first, long), Math.min(second, short)]
    : [Math.min(first, short), Math.min(second, long)];
}

interface TemplateItem {
  SpecialToken?: { id?: unknown; type_id?: unknown };
  Sequence?: { id?: unknown; type_id?: unknown };
}

interface PostProcessorJson {
  type?: unknown;
  pair?: TemplateItem[];
  special_tokens?: Record<string, { ids?: unknown }>;
  sep?: unknown;
  processors?: PostProcessorJson[];
}

/**
 * The separator after which a pair's second text has token type 1, read from tokenizer.json's
 * post-processor: BertProcessing's `sep`, or a TemplateProcessing pair whose type ids are 0 up to
 * and including one special token after $A and 1 from there on ([CLS] $A [SEP] $B:1 [SEP]:1).
 * Undefined for tokenizers whose pairs have type 0 throughout (RoBERTa) or another layout.
 */
export function pairSeparatorOf(postProcessor: unknown): number | undefined {
  const p = (postProcessor ?? {}) as PostProcessorJson;
  if (p.type === 'Sequence' && Array.isArray(p.processors))
    return p.processors.map(pairSeparatorOf).find((id) => id !== undefined);
  if (p.type === 'BertProcessing' && Array.isArray(p.sep) && typeof p.sep[1] === 'number') return p.sep[1];
  if (p.type !== 'TemplateProcessing' || !Array.isArray(p.pair)) return undefined;
  const typeOf = (item: TemplateItem) => Number((item.SpecialToken ?? item.Sequence)?.type_id ?? 0);
  const firstSecond = p.pair.findIndex((item) => typeOf(item) === 1);
  if (firstSecond < 2) return undefined;
  const before = p.pair.slice(0, firstSecond);
  const rest = p.pair.slice(firstSecond);
  if (before.some((item) => typeOf(item) !== 0) || rest.some((item) => typeOf(item) !== 1)) return undefined;
  const separator = before.at(-1)?.SpecialToken?.id;
  const sequenceA = before.findIndex((item) => item.Sequence?.id === 'A');
  if (typeof separator !== 'string' || sequenceA < 0 || sequenceA > before.length - 2) return undefined;
  // The separator must be the first of its kind: the type changes after its first occurrence.
  if (before.slice(0, -1).some((item) => item.SpecialToken?.id === separator)) return undefined;
  const ids = p.special_tokens?.[separator]?.ids;
  return Array.isArray(ids) && ids.length === 1 && typeof ids[0] === 'number' ? ids[0] : undefined;
}

/**
 * `joined` (the pair with its special tokens, uncut) cut so that `first` and `second` (each
 * text's ids without special tokens) keep `keep` tokens each; undefined when `joined` is not
 * the two texts with special tokens around and between them.
 */
export function cutPair(
  joined: number[],
  first: number[],
  second: number[],
  keep: [number, number],
): number[] | undefined {
  const at = (ids: number[], from: number) => {
    for (let i = from; i + ids.length <= joined.length; i++)
      if (ids.every((id, k) => joined[i + k] === id)) return i;
    return -1;
  };
  const a = at(first, 0);
  const b = a < 0 ? -1 : at(second, a + first.length);
  if (b < 0) return undefined;
  return [
    ...joined.slice(0, a),
    ...first.slice(0, keep[0]),
    ...joined.slice(a + first.length, b),
    ...second.slice(0, keep[1]),
    ...joined.slice(b + second.length),
  ];
}
