/**
 * The rule `model-lab onnx check` judges an imported model's gradients by
 * (src/engine/onnx/directionalCheck.ts), on functions whose derivatives are known exactly: a
 * right gradient passes, also when one direction's every step crosses kinks (as in a deep ReLU
 * network), and a wrong one fails, also when one direction happens to agree. A loss whose float32
 * finite differences never settle confirms nothing and refutes nothing.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  type DirectionCheck,
  directionalError,
  GRADIENT_TOLERANCE,
  parameterError,
} from '../../../src/engine/onnx/directionalCheck';

/** L(t) along a direction, rounded to float32 as the engine's losses are. */
const float32 = (f: (t: number) => number) => async (t: number) => Math.fround(f(t));

/** A smooth loss along a direction: L(t) = exp(0.3 t) + t², L′(0) = 0.3. */
const smooth = (t: number) => Math.exp(0.3 * t) + t * t;

/** Evaluation noise in [−1, 1) that changes from one t to the next without a pattern. */
function noise(t: number): number {
  const v = Math.sin(t * 1e7 + 0.5) * 43758.5453;
  return 2 * (v - Math.floor(v)) - 1;
}

/**
 * A loss like a float32 network whose BatchNorm normalises a handful of values: L′(0) = 0.3, a
 * strong third-order term that spoils the larger steps (10⁴ t³: 0.09 at a 3e-3 step) and
 * evaluation noise of 1e-4 that spoils the smaller ones (up to 0.1 at a 1e-3 step), so that no
 * step's differences come within 2 % of 0.3 or of 0.36 and no two successive steps agree.
 */
const noisy = (t: number) => 1 + 0.3 * t + 1e4 * t ** 3 + 1e-4 * noise(t);

/** The check along one direction of `f` for the claimed derivative. */
const along = (f: (t: number) => number, derivative: number) =>
  directionalError(derivative, Math.fround(f(0)), float32(f));

/** The directions tried, in order, around `check`. */
function recorded(check: (direction: number) => Promise<DirectionCheck>) {
  const tried: number[] = [];
  return {
    tried,
    along: (direction: number) => {
      tried.push(direction);
      return check(direction);
    },
  };
}

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
  it('a right derivative of a smooth loss agrees to float32 rounding; 10 % off does not, conclusively', async () => {
    const right = await along(smooth, 0.3);
    assert.ok(right.error < 1e-4 && right.conclusive, JSON.stringify(right));
    const wrong = await along(smooth, 0.33);
    assert.ok(wrong.error > GRADIENT_TOLERANCE && wrong.conclusive, JSON.stringify(wrong));
  });

  it('a loss that is not a number fails', async () => {
    const check = await directionalError(0.3, NaN, async () => NaN);
    assert.ok(!(check.error <= GRADIENT_TOLERANCE) && check.conclusive);
    const parameter = await parameterError(async () => check);
    assert.ok(!(parameter.error <= GRADIENT_TOLERANCE) && parameter.conclusive);
  });

  it('kinks within the larger steps: the smaller steps agree', async () => {
    const near = kinked(2, 1e-3);
    const check = await along(near.f, near.derivative);
    assert.ok(check.error <= GRADIENT_TOLERANCE, `error ${check.error}`);
  });

  it('kinks within every step spoil one direction: a right gradient still passes on the others', async () => {
    const spoiled = kinked(1, 1e-5);
    const alone = await along(spoiled.f, spoiled.derivative);
    assert.ok(alone.error > GRADIENT_TOLERANCE, `the kinked direction alone fails (error ${alone.error})`);
    assert.ok(alone.conclusive, 'its differences settle on a wrong slope: it counts against');
    const run = recorded(async (direction) => (direction === 0 ? alone : along(smooth, 0.3)));
    const result = await parameterError(run.along);
    assert.ok(result.error <= GRADIENT_TOLERANCE && result.conclusive, JSON.stringify(result));
    assert.deepEqual(run.tried, [0, 1, 2], 'a third direction settles one agreeing and one not');
  });

  it('a wrong gradient fails even when one direction happens to agree', async () => {
    // Along direction 1 the wrong part of the gradient is orthogonal to the direction.
    const run = recorded((direction) => along(smooth, direction === 1 ? 0.3 : 0.36));
    const result = await parameterError(run.along);
    assert.ok(result.error > GRADIENT_TOLERANCE && result.conclusive, JSON.stringify(result));
    assert.deepEqual(run.tried, [0, 1, 2]);
  });

  it('two agreeing directions settle it without a third, and report the larger error', async () => {
    const errors = [1e-3, 4e-3, 0.5];
    const run = recorded(async (direction) => ({ error: errors[direction], conclusive: true }));
    assert.deepEqual(await parameterError(run.along), { error: 4e-3, conclusive: true });
    assert.deepEqual(run.tried, [0, 1]);
  });

  it('finite differences that never settle neither confirm nor refute: the right and a wrong derivative alike', async () => {
    for (const derivative of [0.3, 0.36]) {
      const check = await along(noisy, derivative);
      assert.ok(!check.conclusive, `derivative ${derivative}: ${JSON.stringify(check)}`);
      assert.ok(check.error > GRADIENT_TOLERANCE, `derivative ${derivative}: ${JSON.stringify(check)}`);
    }
    const run = recorded(() => along(noisy, 0.3));
    const result = await parameterError(run.along);
    assert.equal(result.conclusive, false);
    assert.deepEqual(run.tried, [0, 1, 2, 3, 4], 'five directions are tried before giving up');
  });

  it('a loss too large for float32 to show the smaller steps neither confirms nor refutes', async () => {
    // L near 1e8 (float32 spacing 8) moving by 2e3 per unit step: from a 1e-3 step on, both sides
    // round to the same value, and the central differences are 0 at every smaller step.
    const huge = (t: number) => 1e8 + 2e3 * t;
    for (const derivative of [2e3, 2.2e3]) {
      const check = await along(huge, derivative);
      assert.ok(!check.conclusive, `derivative ${derivative}: ${JSON.stringify(check)}`);
    }
    // The same slope on a loss float32 resolves is judged as before.
    const moderate = (t: number) => 1e3 + 2e3 * t;
    assert.ok((await along(moderate, 2e3)).error < 1e-3);
    const wrong = await along(moderate, 2.2e3);
    assert.ok(wrong.conclusive && wrong.error > GRADIENT_TOLERANCE, JSON.stringify(wrong));
  });

  it('a gradient of zero where the loss does not move agrees', async () => {
    const flat = await along(() => 5, 0);
    assert.ok(flat.conclusive && flat.error === 0, JSON.stringify(flat));
  });

  it('directions that do not settle are passed over: the others decide, right or wrong', async () => {
    for (const [derivative, passes] of [
      [0.3, true],
      [0.36, false],
    ] as const) {
      const run = recorded((direction) =>
        direction % 2 === 0 ? along(noisy, 0.3) : along(smooth, derivative),
      );
      const result = await parameterError(run.along);
      assert.equal(result.conclusive, true);
      assert.equal(result.error <= GRADIENT_TOLERANCE, passes, JSON.stringify(result));
      assert.deepEqual(run.tried, [0, 1, 2, 3], 'two conclusive directions among four');
    }
  });
});
