/**
 * A gradient checked by finite differences along random directions, as `model-lab onnx check`
 * does for a few parameters of an imported model. Kept free of any runtime so that its rule can
 * be tested on functions whose gradients are known exactly.
 *
 * Along one direction, a deep ReLU network is not smooth at any float32-usable step: in
 * torchvision's ResNet-18 (training-mode BatchNorm, batch 2) PyTorch's exact float64 gradient of
 * the first convolution misses the float64 finite differences by 5e-2 along one random direction
 * in three, and by 4e-4 along another, because every step crosses ReLU and max-pool kinks. A wrong
 * gradient misses along every direction. So a parameter is judged by more than one direction.
 */

/** Relative error below which a direction agrees. */
export const GRADIENT_TOLERANCE = 2e-2;

/**
 * Steps tried along a direction, largest first: kinks spoil large ones, float32 rounding small
 * ones. The kinks a step crosses grow with it, so a deep ReLU network needs the small ones: in
 * the ResNet-18 above, PyTorch's float32 gradient of the first convolution agreed with its float32
 * finite differences to 1e-2 or better along six directions out of six once steps went down to
 * 1e-5, against 5e-2 along one of them when they stopped at 3e-4.
 */
const STEPS = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5];

/** A direction that agrees this well needs no smaller step (each costs two forward passes). */
const SETTLED = GRADIENT_TOLERANCE / 4;

/**
 * The smallest change of the loss, relative to the loss, that a central difference can be read
 * from. A float32 loss L is rounded to about 1.2e-7·|L|, so a difference of up − down smaller than
 * 50 such units is more than 2 % rounding. Below it the two losses can round to the same value at
 * two successive steps: both central differences are 0, which "agree" with each other and would
 * refute any gradient. An untrained torchvision Inception v3 (eval-mode BatchNorm with its initial
 * statistics, logits near 1e4, an MSE loss near 1e8) did exactly that for its last bias.
 */
const RESOLVED_CHANGE = 50 * 2 ** -23;

/** What one direction says of a gradient. */
export interface DirectionCheck {
  /** The smallest relative error over the steps tried (NaN, from a non-finite loss, is kept). */
  error: number;
  /**
   * False when the finite differences never settled: no two successive steps moved the loss by
   * more than its rounding (RESOLVED_CHANGE) and gave central differences within
   * GRADIENT_TOLERANCE of each other, and none agreed with the gradient.
   * Such a direction can neither confirm nor refute a gradient. In torchvision's ShuffleNetV2
   * (training-mode BatchNorm over 8 values in its last stage, batch 2) the float32 loss moves by
   * rounding as much as by the step: along its first convolution the central differences went
   * 0.11, 0.005, −0.15, 0.11, −0.18, −0.29, −0.08 over the seven steps, while the engine's
   * gradient matched PyTorch's float64 one to 1.9e-3 (PyTorch's float32 one: 1.9e-3 too).
   */
  conclusive: boolean;
}

/** |a − b| relative to the larger of the two (and 1e-2, so values near zero are not judged on rounding). */
function relativeDifference(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-2);
}

/**
 * The relative error of `analytic` for the best of central and one-sided differences at each
 * step (in a ReLU network a step one way often crosses a kink the other way does not), over the
 * steps down to the first that agrees within SETTLED; and whether the differences settled.
 */
export async function directionalError(
  analytic: number,
  atBase: number,
  lossAt: (step: number) => Promise<number>,
): Promise<DirectionCheck> {
  let best = Infinity;
  let settled = false;
  let previousCentral: number | undefined;
  for (const eps of STEPS) {
    const [up, down] = [await lossAt(eps), await lossAt(-eps)];
    const resolved = Math.abs(up - down) >= RESOLVED_CHANGE * Math.abs(atBase);
    const central = resolved ? (up - down) / (2 * eps) : undefined;
    for (const numeric of [(up - down) / (2 * eps), (up - atBase) / eps, (atBase - down) / eps]) {
      const error = relativeDifference(numeric, analytic);
      if (!(error >= best)) best = error; // NaN, from a non-finite loss, is kept: it fails
    }
    if (
      central !== undefined &&
      previousCentral !== undefined &&
      relativeDifference(central, previousCentral) <= GRADIENT_TOLERANCE
    )
      settled = true;
    previousCentral = central;
    if (best <= SETTLED) break;
  }
  return { error: best, conclusive: settled || best <= GRADIENT_TOLERANCE || Number.isNaN(best) };
}

/** Directions tried at most for one parameter: more than three only when some were inconclusive. */
const MAX_DIRECTIONS = 5;

/** What the directions say of a parameter's gradient. */
export interface ParameterCheck {
  /** The second smallest error of the conclusive directions; when not conclusive, the smallest seen. */
  error: number;
  /** False when fewer than two directions agreed and fewer than two disagreed (the rest did not settle). */
  conclusive: boolean;
}

/**
 * A parameter's gradient over random directions (`along(k)` checks the k-th): directions are
 * tried until two conclusive ones agree or two disagree, and the answer is the second smallest
 * conclusive error (the median when three decided it), so one direction spoiled by kinks
 * neither fails a right gradient nor passes a wrong one. Directions whose finite differences
 * did not settle are left out and another is tried, up to MAX_DIRECTIONS.
 */
export async function parameterError(
  along: (direction: number) => Promise<DirectionCheck>,
): Promise<ParameterCheck> {
  const tried: DirectionCheck[] = [];
  const errors = () => tried.filter((d) => d.conclusive).map((d) => d.error);
  const agreeing = () => errors().filter((e) => e <= GRADIENT_TOLERANCE).length;
  const decided = () => agreeing() >= 2 || errors().length - agreeing() >= 2;
  while (tried.length < MAX_DIRECTIONS && !decided()) tried.push(await along(tried.length));
  if (!decided()) {
    // A loss that was not a number along some direction fails, whatever the others said.
    if (tried.some((d) => Number.isNaN(d.error))) return { error: NaN, conclusive: true };
    return { error: Math.min(...tried.map((d) => d.error)), conclusive: false };
  }
  const ordered = errors().sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  return { error: ordered[1], conclusive: true };
}
