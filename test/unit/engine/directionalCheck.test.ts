/**
 * The rule `model-lab onnx check` judges an imported model's gradients by
 * (src/engine/onnx/directionalCheck.ts), on functions whose derivatives are known exactly: a
 * right gradient passes, also when one direction's every step crosses kinks (as in a deep ReLU
 * network), and a wrong one fails, also when one direction happens to agree.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  directionalError,
  GRADIENT_TOLERANCE,
  parameterError,
} from '../../../src/engine/onnx/directionalCheck';

/** L(t) along a direction, rounded to float32 as the engine's losses are. */
const float32 = (f: (t: number) => number) => async (t: number) => Math.fround(f(t));

/** A smooth loss along a direction: L(t) = exp(0.3 t) + t², L′(0) = 0.3. */
const smooth = (t: number) => Math.exp(0.3 * t) + t * t;

/**
 * A loss with many ReLU kinks around t = 0, as when a step moves the first layer of a deep ReLU
 * network: Σₖ relu(t − cₖ) · wₖ over 40 kinks cₖ within ±`spread`, plus a smooth part.
 */
function kinked(seed: number, spread: number) {
  const kinks = Array.from(
    { length: 40 },
    (_, k) => ((((k + 1) * 7919 * (seed + 3)) % 2000) - 1000) * (spread / 1000),
  );
  const slopes = kinks.map((_, k) => (k % 2 ? 2 : -1.5));
  const f = (t: number) => smooth(t) + kinks.reduce((sum, c, k) => sum + slopes[k] * Math.max(0, t - c), 0);
  // The exact derivative at 0: the smooth part's plus the slopes of the kinks left of 0.
  const derivative = 0.3 + kinks.reduce((sum, c, k) => sum + (c < 0 ? slopes[k] : 0), 0);
  return { f, derivative };
}

describe('gradient check by finite differences along directions', () => {
  it('a right derivative of a smooth loss agrees to float32 rounding; 10 % off does not', async () => {
    const right = await directionalError(0.3, smooth(0), float32(smooth));
    assert.ok(right < 1e-4, `error ${right}`);
    const wrong = await directionalError(0.33, smooth(0), float32(smooth));
    assert.ok(wrong > GRADIENT_TOLERANCE, `error ${wrong}`);
  });

  it('a loss that is not a number fails', async () => {
    const error = await directionalError(0.3, NaN, async () => NaN);
    assert.ok(!(error <= GRADIENT_TOLERANCE));
    assert.ok(!((await parameterError(async () => error)) <= GRADIENT_TOLERANCE));
  });

  it('kinks within the larger steps: the smaller steps agree', async () => {
    const near = kinked(2, 1e-3);
    const error = await directionalError(near.derivative, near.f(0), float32(near.f));
    assert.ok(error <= GRADIENT_TOLERANCE, `error ${error}`);
  });

  it('kinks within every step spoil one direction: a right gradient still passes on the others', async () => {
    const spoiled = kinked(1, 1e-5);
    const alone = await directionalError(spoiled.derivative, spoiled.f(0), float32(spoiled.f));
    assert.ok(alone > GRADIENT_TOLERANCE, `the kinked direction alone fails (error ${alone})`);
    const tried: number[] = [];
    const error = await parameterError(async (direction) => {
      tried.push(direction);
      if (direction === 0) return alone;
      return directionalError(0.3, smooth(0), float32(smooth));
    });
    assert.ok(error <= GRADIENT_TOLERANCE, `error ${error}`);
    assert.deepEqual(tried, [0, 1, 2], 'a third direction settles one agreeing and one not');
  });

  it('a wrong gradient fails even when one direction happens to agree', async () => {
    const tried: number[] = [];
    const error = await parameterError(async (direction) => {
      tried.push(direction);
      // Along direction 1 the wrong part of the gradient is orthogonal to the direction.
      return directionalError(direction === 1 ? 0.3 : 0.36, smooth(0), float32(smooth));
    });
    assert.ok(error > GRADIENT_TOLERANCE, `error ${error}`);
    assert.deepEqual(tried, [0, 1, 2]);
  });

  it('two agreeing directions settle it without a third, and report the larger error', async () => {
    const errors = [1e-3, 4e-3, 0.5];
    const tried: number[] = [];
    const error = await parameterError(async (direction) => {
      tried.push(direction);
      return errors[direction];
    });
    assert.deepEqual(tried, [0, 1]);
    assert.equal(error, 4e-3);
  });
});
