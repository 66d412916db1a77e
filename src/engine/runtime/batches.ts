/** Checks batches against the compiled shapes before they reach onnxruntime, with readable errors. */
import type { Batch } from '../api';
import type { ModelPlan } from '../model/graphs';

const perExample = (shape: number[]) => shape.slice(1).reduce((a, b) => a * b, 1);

export function checkBatch(plan: ModelPlan, batch: Batch, count: number, where: string): void {
  const { input, target, options } = plan;
  const tokens = input.dtype === 'int64';
  if (tokens !== batch.x instanceof BigInt64Array)
    throw new Error(
      `${where}: inputs must be ${tokens ? 'int64 token ids (BigInt64Array)' : 'floats (Float32Array)'}`,
    );
  if (batch.x.length !== count * perExample(input.shape))
    throw new Error(
      `${where}: expected ${count} inputs of shape [${input.shape.slice(1)}], got ${batch.x.length} values`,
    );
  const classIds = target.dtype === 'int64';
  if (classIds !== batch.y instanceof BigInt64Array)
    throw new Error(
      `${where}: targets must be ${classIds ? 'int64 class ids (BigInt64Array)' : 'floats (Float32Array)'}`,
    );
  if (batch.y.length !== count * perExample(target.shape))
    throw new Error(
      `${where}: expected ${count} targets of shape [${target.shape.slice(1)}], got ${batch.y.length} values`,
    );
  if (classIds) {
    const classes = plan.output[plan.output.length - 1];
    const bad = (batch.y as BigInt64Array).find((v) => v < 0n || v >= BigInt(classes));
    if (bad !== undefined) throw new Error(`${where}: class id ${bad} is outside 0..${classes - 1}`);
  }
  const first = options.model.layers[0];
  if (tokens && first?.type === 'embedding') {
    const bad = (batch.x as BigInt64Array).find((v) => v < 0n || v >= BigInt(first.vocabSize));
    if (bad !== undefined)
      throw new Error(`${where}: token id ${bad} is outside the vocabulary 0..${first.vocabSize - 1}`);
  }
}

/** Concatenates equally sized arrays (K batches → one [K, ...] tensor). */
export function stack<T extends Float32Array | BigInt64Array>(parts: T[]): T {
  const size = parts[0].length;
  const out = (
    parts[0] instanceof Float32Array
      ? new Float32Array(size * parts.length)
      : new BigInt64Array(size * parts.length)
  ) as T;
  parts.forEach((p, i) => out.set(p as never, i * size));
  return out;
}
