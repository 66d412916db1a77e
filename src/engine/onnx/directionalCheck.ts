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
 * |numeric − analytic| relative to the larger of the two (and 1e-2, so a derivative near zero
 * is not judged on its rounding), for the best of central and one-sided differences at each
 * step (in a ReLU network a step one way often crosses a kink the other way does not), over the
 * steps down to the first that agrees within SETTLED.
 */
export async function directionalError(
  analytic: number,
  atBase: number,
  lossAt: (step: number) => Promise<number>,
): Promise<number> {
  let best = Infinity;
  for (const eps of STEPS) {
    const [up, down] = [await lossAt(eps), await lossAt(-eps)];
    for (const numeric of [(up - down) / (2 * eps), (up - atBase) / eps, (atBase - down) / eps]) {
      const error = Math.abs(numeric - analytic) / Math.max(Math.abs(numeric), Math.abs(analytic), 1e-2);
      if (!(error >= best)) best = error; // NaN, from a non-finite loss, is kept: it fails
    }
    if (best <= SETTLED) break;
  }
  return best;
}

/**
 * The error of a parameter's gradient over up to three random directions (`errorAlong(k)` the
 * directionalError along the k-th): directions are tried until two agree or two disagree, and
 * the answer is the second smallest error tried (the median when all three are), so one
 * direction spoiled by kinks neither fails a right gradient nor passes a wrong one.
 */
export async function parameterError(errorAlong: (direction: number) => Promise<number>): Promise<number> {
  const errors: number[] = [];
  const agreeing = () => errors.filter((e) => e <= GRADIENT_TOLERANCE).length;
  while (errors.length < 3 && agreeing() < 2 && errors.length - agreeing() < 2)
    errors.push(await errorAlong(errors.length));
  const ordered = [...errors].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  return ordered[1];
}
