/**
 * The graph inputs of an imported model besides the weights: the one the data feeds, and the
 * others a training step fills with one constant value (`fill`). Exports of Hugging Face style
 * models read token ids beside an attention mask and token type ids, often with the sequence
 * length as a named (symbolic) axis: the data's examples have one fixed length, named in
 * `sizes`, so the mask is all ones and the type ids all zeros, as Hugging Face's own default
 * when a caller gives only the ids. Examples padded to that length instead fill the mask from
 * the ids (`{ "padToken": id }`: 0 at the padding, 1 elsewhere), as Hugging Face's tokenizers do.
 * The file's inputs are unchanged: the fine-tuned model.onnx takes them all, as the original did.
 */
import type { FillValue } from '../../contract/experiment';
import type { DType } from '../graph/dtypes';
import { OnnxImportError } from './importError';
import type { OnnxDim, OnnxModel, OnnxValueInfo } from './onnxFile';

/** A graph input a training step feeds with one value everywhere, or with the mask of the padding. */
export interface FilledInput {
  name: string;
  dtype: DType;
  /** Dims after the batch axis, all numbers; `batched`: its first axis is the batch. */
  dims: number[];
  batched: boolean;
  value: FillValue;
}

const TOKEN_DTYPES = new Set<string>(['int64', 'int32']);

const FILLABLE = new Set<string>(['float32', 'int64', 'int32', 'bool']);

const show = (dims: OnnxDim[]) => `[${dims.join(', ')}]`;
const sizesExample = (names: string[]) =>
  `"sizes": { ${names.map((n) => `"${n}": ${/seq|len|token|position/i.test(n) ? 128 : 32}`).join(', ')} }`;

/** Graph inputs a node reads that are neither initializers nor `fed`. */
export function otherReadInputs(model: OnnxModel, fed?: string): OnnxValueInfo[] {
  const read = new Set(model.nodes.flatMap((n) => n.inputs));
  return model.inputs.filter((v) => v.name !== fed && !model.initializers.has(v.name) && read.has(v.name));
}

/** Named axes after the batch axis (the first axis is the batch whatever it is called). */
export const symbolicAxes = (input: OnnxValueInfo): string[] =>
  input.dims.slice(1).filter((d): d is string => typeof d === 'string');

/**
 * The dims of one example of `input`: its dims after the batch axis, named axes taken from
 * `sizes`. Refuses, saying what to write, an axis that is named but not sized or has no name.
 */
export function exampleDims(input: OnnxValueInfo, sizes: Record<string, number> = {}): number[] {
  if (input.dims.length < 1)
    throw new OnnxImportError('shape', `input ${input.name} is a scalar; Model Lab needs a batch axis first`);
  const batch = input.dims[0];
  const unsized = [...new Set(symbolicAxes(input).filter((d) => d !== batch && !(d in sizes)))];
  if (unsized.length)
    throw new OnnxImportError(
      'shape',
      `input ${input.name} has shape ${show(input.dims)}, and the file does not say how long ${unsized.join(' and ')} ${unsized.length === 1 ? 'is' : 'are'}: ` +
        `give ${unsized.length === 1 ? 'its size' : 'their sizes'} for one example in the model section, e.g. ${sizesExample(unsized)}`,
    );
  const dims = input.dims.slice(1).map((d) => (typeof d === 'number' ? d : d === batch ? NaN : sizes[d]));
  if (dims.some((d) => !(Number.isInteger(d) && d >= 1)))
    throw new OnnxImportError(
      'shape',
      `input ${input.name} has shape ${show(input.dims)}; Model Lab needs a batch axis first and fixed or named sizes after it`,
    );
  return dims;
}

/** `sizes` may only name axes some input has: a misspelt name would otherwise be ignored. */
export function checkSizes(model: OnnxModel, sizes: Record<string, number>): void {
  const named = new Set(model.inputs.flatMap(symbolicAxes));
  for (const [name, size] of Object.entries(sizes)) {
    if (!named.has(name))
      throw new OnnxImportError(
        'shape',
        `sizes names ${name}, but no input of the graph has an axis of that name` +
          (named.size
            ? ` after the batch (its named axes: ${[...named].join(', ')})`
            : ' after the batch (its inputs have none)'),
      );
    if (!(Number.isInteger(size) && size >= 1))
      throw new OnnxImportError('shape', `sizes gives ${name} ${size}; a size is a whole number ≥ 1`);
  }
}

/**
 * The inputs besides the fed one that nodes read, each filled from `fill`. One without a
 * value is refused, naming the value that Hugging Face uses by default (`suggestedFill`).
 */
export function planFilledInputs(
  model: OnnxModel,
  input: OnnxValueInfo,
  fill: Record<string, FillValue>,
  sizes: Record<string, number>,
): FilledInput[] {
  for (const name of Object.keys(fill))
    if (name === input.name || !model.inputs.some((v) => v.name === name))
      throw new OnnxImportError(
        'shape',
        name === input.name
          ? `fill names ${name}, the input the data feeds`
          : `fill names ${name}, but the graph has no input of that name (its inputs: ${model.inputs.map((v) => v.name).join(', ')})`,
      );
  const others = otherReadInputs(model, input.name);
  const unfed = others.filter((v) => !(v.name in fill));
  if (unfed.length) {
    const described = unfed.map((v) => `${v.name} (${v.dtype} ${show(v.dims)})`).join(', ');
    const suggestion = Object.entries(suggestedFill(unfed))
      .map(([name, value]) => `"${name}": ${value}`)
      .join(', ');
    throw new OnnxImportError(
      'unsupported',
      `the graph also reads ${described}, which the data does not feed (it feeds ${input.name}): ` +
        `give ${unfed.length === 1 ? 'it a value' : 'them values'} for every position in the model section, e.g. "fill": { ${suggestion} }`,
    );
  }
  return others.map((v) => {
    if (!FILLABLE.has(v.dtype))
      throw new OnnxImportError(
        'unsupported',
        `input ${v.name} holds ${v.dtype}; fill takes float32, int64, int32 and bool inputs`,
      );
    const value = fill[v.name];
    if (typeof value === 'object') checkPaddingMask(v, input, value);
    else if (v.dtype !== 'float32' && !Number.isInteger(value))
      throw new OnnxImportError(
        'shape',
        `fill gives ${v.name} ${value}, but it holds ${v.dtype}: give a whole number`,
      );
    const batched = typeof v.dims[0] === 'string' && (v.dims[0] === input.dims[0] || !(v.dims[0] in sizes));
    const dims = batched ? exampleDims(v, sizes) : exampleDims({ ...v, dims: [1, ...v.dims] }, sizes);
    return { name: v.name, dtype: v.dtype as DType, dims, batched, value };
  });
}

/** A mask of the padding (or a pair's type ids) is computed from the fed token ids: it must have their shape. */
function checkPaddingMask(
  mask: OnnxValueInfo,
  input: OnnxValueInfo,
  { padToken, secondTextAfter }: Exclude<FillValue, number>,
): void {
  for (const [field, id] of Object.entries({ padToken, secondTextAfter }))
    if (id !== undefined && !(Number.isInteger(id) && id >= 0))
      throw new OnnxImportError(
        'shape',
        `fill gives ${mask.name} ${field} ${id}; a token id is a whole number ≥ 0`,
      );
  if (secondTextAfter === padToken)
    throw new OnnxImportError(
      'shape',
      `fill gives ${mask.name} the same id ${padToken} as padToken and secondTextAfter; the separator between two texts is not the pad token`,
    );
  if (!TOKEN_DTYPES.has(input.dtype))
    throw new OnnxImportError(
      'shape',
      `fill gives ${mask.name} a padToken, but the data feeds ${input.name}, which holds ${input.dtype}, not token ids`,
    );
  if (show(mask.dims) !== show(input.dims))
    throw new OnnxImportError(
      'shape',
      `fill gives ${mask.name} a padToken, but its shape ${show(mask.dims)} is not that of ${input.name} ${show(input.dims)}, whose ids it masks`,
    );
}

/**
 * What a fill computed from token ids holds at each of `ids` (examples of `length` ids, row-major):
 * 0 at the padding and 1 elsewhere; with `secondTextAfter`, 1 only after the first separator of
 * the example (a pair's second text), as a BERT tokenizer's token type ids. The training graph
 * computes the same with ONNX ops (importForward.ts); this is the reference the compatibility
 * check feeds the original file.
 */
export function idFill(
  { padToken, secondTextAfter }: Exclude<FillValue, number>,
  ids: ArrayLike<number | bigint>,
  length: number,
): number[] {
  const out = new Array<number>(ids.length);
  let second = false;
  for (let i = 0; i < ids.length; i++) {
    if (i % length === 0) second = false;
    const id = Number(ids[i]);
    out[i] = id !== padToken && (secondTextAfter === undefined || second) ? 1 : 0;
    if (id === secondTextAfter) second = true;
  }
  return out;
}

/**
 * Hugging Face's defaults when a caller passes only token ids: an attention mask of ones
 * (every position is a token: Model Lab's examples have no padding), zeros for anything else
 * (token type ids: one segment).
 */
export function suggestedFill(inputs: OnnxValueInfo[]): Record<string, number> {
  return Object.fromEntries(inputs.map((v) => [v.name, /mask/i.test(v.name) ? 1 : 0]));
}

/**
 * What an import with no `input`, `fill` or `sizes` would use: the named input, else one named
 * like token ids, else the first; the others nodes read filled as `suggestedFill` says; and the
 * named axes of those inputs that `sizes` leaves out, for the caller to size.
 */
export function importDefaults(
  model: OnnxModel,
  given: { input?: string; fill?: Record<string, FillValue>; sizes?: Record<string, number> } = {},
): { input?: string; fill: Record<string, FillValue>; unsized: string[] } {
  const input =
    given.input ??
    (model.inputs.length > 1 ? model.inputs.find((v) => /input_?ids/i.test(v.name)) : undefined)?.name ??
    model.inputs[0]?.name;
  const fed = model.inputs.find((v) => v.name === input);
  const others = otherReadInputs(model, input);
  const fill = { ...suggestedFill(others), ...given.fill };
  const sized = new Set(Object.keys(given.sizes ?? {}));
  const unsized = [
    ...new Set(
      [fed, ...others]
        .filter((v) => v !== undefined)
        .flatMap((v) =>
          symbolicAxes(v).filter((d) => d !== v.dims[0] && d !== fed?.dims[0] && !sized.has(d)),
        ),
    ),
  ];
  return { input, fill, unsized };
}

/**
 * The options a file is planned with outside an experiment (the .onnx view, `model-lab summary`,
 * the import command): `importDefaults`' input and fill, the first output, the given sizes.
 */
export function defaultImportOptions(model: OnnxModel, sizes: Record<string, number> = {}) {
  const { input, fill } = importDefaults(model, { sizes });
  return { input, output: model.outputs[0]?.name, fill, sizes };
}
