/**
 * One layer kind of the catalog (layers/index.ts `LAYERS`): everything Model Lab knows about
 * a layer type, in one place. Validation reads `outputShape`, the schema test reads `schema`,
 * the model compiler calls `build`, the benchmark's FLOPs count reads `products`.
 */
import * as l10n from '@vscode/l10n';
import type { Layer, LayerType } from '../../contract/experiment';
import type { InputKind } from '../../contract/inputKind';
import type { LayerBuilder } from './context';

export type LayerOf<T extends LayerType> = Extract<Layer, { type: T }>;

/** Where a layer sits: its input shape per example (no batch), its index, what the model reads. */
export interface LayerInput {
  shape: number[];
  index: number;
  inputKind: InputKind;
}

/** The output shape per example, or what is wrong (`field`: the layer field it is about). */
export type ShapeStep = { shape: number[] } | { problem: { field?: string; message: string } };

/** A matrix product of the layer: multiply-adds per example, and whether one side is a weight. */
export interface Product {
  macs: number;
  operands: 'activation·weight' | 'activation·activation';
}

export interface LayerKind<T extends LayerType> {
  /** Its part of schemas/experiment.schema.json: the `type` enum description and required fields. */
  schema: { description: string; required: string[] };
  outputShape(layer: LayerOf<T>, input: LayerInput): ShapeStep;
  build: LayerBuilder<LayerOf<T>>;
  /** Matrix products in forward order (benchmark FLOPs); absent: none worth counting. */
  products?(layer: LayerOf<T>, input: number[], output: number[]): Product[];
}

/** Every layer type has its kind: a type without one does not compile. */
export type LayerCatalog = { [T in LayerType]: LayerKind<T> };

export const showShape = (shape: number[]): string => `[${shape.join(', ')}]`;

/** A problem when the input is not of `rank` (per example): "<type> needs <what>, but its input is …". */
export function needsRank(
  type: LayerType,
  input: number[],
  rank: number,
  what: string,
  fix = '',
): ShapeStep | undefined {
  return input.length === rank
    ? undefined
    : {
        problem: {
          message: l10n.t('{0} needs {1}, but its input is {2}{3}', type, what, showShape(input), fix),
        },
      };
}

export const product = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
