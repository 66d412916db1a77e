/**
 * The classes of an imported classifier that keeps its own last layer. Its score i means its
 * class i, so the data's labels are read as that class: by name where the model names its classes
 * (Model Lab's model.onnx in its metadata, a Hugging Face export in the config.json beside it),
 * else as class indices where every label is an integer below the model's class count, as
 * PyTorch's cross-entropy reads them. Data holding only some of the classes (a test set of two
 * digits for a ten-digit model) is then scored as the model sees it, rather than renumbered.
 * Labels that are neither stay the sorted labels of the data, whose count must then match.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OnnxModel } from '../engine/onnx';
import { CLASSES_KEY } from '../engine/runtime/exportDoc';

export interface ModelClasses {
  count: number;
  /** Class i's name, when the model says (count names). */
  names?: string[];
}

/** The class names an ONNX file (at `path`) gives its `count` scores, if it names them. */
export function classNamesOf(model: OnnxModel, path: string, count: number): string[] | undefined {
  const fromMetadata = parseNames(model.metadata[CLASSES_KEY]);
  if (fromMetadata?.length === count) return fromMetadata;
  return huggingFaceLabels(join(dirname(path), 'config.json'), count);
}

/** The class names of a model whose one output is a score per class ([batch, classes]), if it names them. */
export function outputClassNames(model: OnnxModel, path: string): string[] | undefined {
  const [output, ...others] = model.outputs;
  const count = output?.dims[1];
  if (others.length > 0 || output?.dims.length !== 2 || typeof count !== 'number' || count < 2)
    return undefined;
  return classNamesOf(model, path, count);
}

/**
 * The data's labels (`labels[i]` indexes `classes`) as the model's class ids, with the model's
 * class names. Unchanged where the labels are neither its names nor its class indices.
 */
export function adoptModelClasses(
  labels: Int32Array,
  classes: string[],
  model: ModelClasses | undefined,
): { labels: Int32Array; classes: string[]; labelsRead?: LabelsRead } {
  if (!model || classes.length > model.count) return { labels, classes };
  const read = classIdsOf(classes, model);
  if (!read) return { labels, classes };
  const modelIds = classes.map(read.idOf);
  return {
    labels: labels.map((id) => modelIds[id]),
    classes: model.names ?? Array.from({ length: model.count }, (_, id) => String(id)),
    labelsRead: { by: read.by, held: classes.length },
  };
}

/** How the labels were read as the model's classes, and how many of them the data holds. */
export interface LabelsRead {
  by: 'names' | 'indices';
  held: number;
}

/** How each label names one of the model's classes: its name, else its index; undefined when neither. */
function classIdsOf(
  labels: string[],
  { count, names }: ModelClasses,
): { by: LabelsRead['by']; idOf: (label: string) => number } | undefined {
  if (names && labels.every((label) => names.includes(label)))
    return { by: 'names', idOf: (label) => names.indexOf(label) };
  const isClassIndex = (label: string) => /^\d+$/.test(label) && Number(label) < count;
  return labels.every(isClassIndex) ? { by: 'indices', idOf: Number } : undefined;
}

function parseNames(json: string | undefined): string[] | undefined {
  if (json === undefined) return undefined;
  try {
    const names: unknown = JSON.parse(json);
    return Array.isArray(names) && names.every((n) => typeof n === 'string') ? names : undefined;
  } catch {
    return undefined;
  }
}

/** `id2label` of a Hugging Face config.json: names for ids 0 … count − 1, all of them or none. */
function huggingFaceLabels(configPath: string, count: number): string[] | undefined {
  if (!existsSync(configPath)) return undefined;
  let id2label: unknown;
  try {
    id2label = (JSON.parse(readFileSync(configPath, 'utf8')) as { id2label?: unknown }).id2label;
  } catch {
    return undefined;
  }
  if (typeof id2label !== 'object' || id2label === null) return undefined;
  const entries = id2label as Record<string, unknown>;
  const names = Array.from({ length: count }, (_, id) => entries[String(id)]);
  return Object.keys(entries).length === count && names.every((n) => typeof n === 'string')
    ? (names as string[])
    : undefined;
}
