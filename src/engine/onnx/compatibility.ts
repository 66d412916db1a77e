/**
 * "Can Model Lab train this model?" for any ONNX file (the CLI's `model-lab onnx check`):
 *  1. every op listed as supported or not, with the names of its nodes;
 *  2. the import planned and the training graph built (batch 2, or the file's fixed batch; an mse head on the output). A
 *     file whose import needs choices answers for the usual ones, listed in `assumed`: its
 *     token ids input fed, its other inputs filled (an attention mask with ones), and each named
 *     axis of an example at CHECK_SIZE;
 *  3. the imported forward (eval mode) on random inputs against onnxruntime running the
 *     original file: the largest absolute difference. A file exported in training mode runs as
 *     the inference model Model Lab would export (BatchNormalization on its running statistics,
 *     Dropout off), which is what the eval graph computes;
 *  4. a finite-difference check of the gradients of a few parameters along random directions
 *     (directionalCheck.ts: more than one direction each, as kinks spoil single ones).
 * It never throws for a readable file: every failure is a verdict with its reasons.
 */
import { gradients } from '../autodiff/backward';
import { GraphBuilder, toTyped, type Value } from '../graph/builder';
import type { TensorData } from '../graph/dtypes';
import { serializeModel } from '../graph/serialize';
import { Rng } from '../init';
import { buildLoss } from '../model/losses';
import { openSession, tensor, type Session } from '../runtime/session';
import { exportImported } from './exportImported';
import { importForward } from './importForward';
import { idFill, importDefaults } from './importInputs';
import { planImport, tokenIdRange, type ImportOptions, type ImportPlan } from './importPlan';
import type { OnnxModel } from './onnxFile';
import type { CompatibilityReport } from '../../contract/onnxModel';
import { directionalError, GRADIENT_TOLERANCE, parameterError } from './directionalCheck';
import { opSupport } from './opSupport';

export type { CompatibilityReport, OnnxVerdict as Verdict } from '../../contract/onnxModel';

/**
 * The batch a check runs: 2, or the batch the file fixes (exported without a dynamic batch axis),
 * which onnxruntime insists on for the original.
 */
const batchOf = (plan: ImportPlan): number =>
  typeof plan.input.dims[0] === 'number' ? plan.input.dims[0] : 2;
const FORWARD_TOLERANCE = 1e-4;
/** The size a check gives a named axis of an example (a sequence length) that the options leave out. */
const CHECK_SIZE = 8;

export async function checkCompatibility(
  model: OnnxModel,
  options: ImportOptions = {},
): Promise<CompatibilityReport> {
  const report: CompatibilityReport = {
    verdict: 'trainable',
    opset: model.opset,
    producer: model.producer,
    ops: opSupport(model),
    problems: [],
  };
  let plan: ImportPlan;
  try {
    // A check answers for one input and output: the first ones (or the token ids) unless named.
    const defaults = importDefaults(model, options);
    const sizes = { ...options.sizes, ...Object.fromEntries(defaults.unsized.map((d) => [d, CHECK_SIZE])) };
    const assumed = [
      ...defaults.unsized.map((d) => `${d} = ${CHECK_SIZE}`),
      ...Object.entries(defaults.fill)
        .filter(([name]) => options.fill?.[name] === undefined)
        .map(([name, value]) => `${name} filled with ${value}`),
    ];
    if (assumed.length) report.assumed = assumed;
    plan = planImport(model, {
      ...options,
      input: defaults.input,
      output: options.output ?? model.outputs[0]?.name,
      fill: defaults.fill,
      sizes,
    });
  } catch (error) {
    return refuse(report, error);
  }
  report.input = plan.input.name;
  report.batch = batchOf(plan);
  if (typeof plan.input.dims[0] === 'number') {
    // Training runs at the experiment's batch size: a graph whose shapes follow the exported
    // batch (a reshape to [1, -1]) cannot, however well it checks at its own.
    report.assumed = [...(report.assumed ?? []), `batch ${report.batch}, as the file fixes it`];
    try {
      forwardGraph(plan, 'train', report.batch + 1);
    } catch (error) {
      return refuse(report, error);
    }
  }
  report.output = plan.output.name;
  report.parameters = plan.parameters.reduce((n, p) => n + p.data.length, 0);
  const rng = new Rng(7);
  try {
    const x = randomInput(plan, rng);
    const ours = await importedForward(plan, x);
    const theirs = await originalForward(plan, x, rng);
    const forwardDifference = ours.reduce((worst, v, i) => Math.max(worst, Math.abs(v - theirs[i])), 0);
    report.forwardDifference = forwardDifference;
    const scale = theirs.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    if (!(forwardDifference <= FORWARD_TOLERANCE * scale))
      report.problems.push(
        `the imported forward differs from onnxruntime by up to ${forwardDifference.toExponential(2)}`,
      );
    const gradientChecks = await checkGradients(plan, x, rng);
    report.gradientChecks = gradientChecks;
    for (const g of gradientChecks)
      if (!g.inconclusive && !(g.relativeError <= GRADIENT_TOLERANCE))
        report.problems.push(
          `the gradient of ${g.parameter} disagrees with finite differences (relative error ${g.relativeError.toExponential(2)})`,
        );
    // One unconfirmed parameter among confirmed ones is said on its line; none confirmed is a failure.
    if (gradientChecks.every((g) => g.inconclusive))
      report.problems.push(
        'no gradient could be confirmed: the float32 finite differences did not settle at any step size',
      );
  } catch (error) {
    return refuse(report, error);
  }
  if (report.problems.length) report.verdict = 'numeric-check-failed';
  return report;
}

function refuse(report: CompatibilityReport, error: unknown): CompatibilityReport {
  report.verdict = 'unsupported';
  report.problems.push(error instanceof Error ? error.message : String(error));
  return report;
}

/** Random inputs for a batch (batchOf); token ids stay below the smallest table they index. */
function randomInput(plan: ImportPlan, rng: Rng): Float32Array | BigInt64Array {
  const n = batchOf(plan) * plan.inputShape.reduce((a, b) => a * b, 1);
  if (plan.inputKind === 'float') return Float32Array.from({ length: n }, () => rng.normal());
  const range = tokenIdRange(plan);
  return BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rng.uniform() * range)));
}

/** Feeds the parameters as graph inputs; returns their values in order. */
function forwardGraph(plan: ImportPlan, mode: 'train' | 'eval', batch = batchOf(plan)) {
  const b = new GraphBuilder();
  const x = b.input('x', plan.inputKind === 'tokens' ? 'int64' : 'float32', [batch, ...plan.inputShape]);
  const params: Value[] = [];
  const output = importForward(plan, x, {
    b,
    mode,
    // One fixed key: the finite differences see the same dropout masks as the gradients.
    dropoutKey: b.scalar(1, 'int64'),
    param: (p) => {
      const v = b.input(p.name, 'float32', p.shape);
      params.push(v);
      return v;
    },
  });
  return { b, x, params, output };
}

const paramFeeds = (plan: ImportPlan, params: Value[], values?: Map<string, Float32Array>) =>
  Object.fromEntries(
    params.map((v) => {
      const p = plan.parameters.find((q) => q.name === v.name)!;
      return [v.name, tensor('float32', values?.get(v.name) ?? p.data, p.shape)];
    }),
  );

async function importedForward(plan: ImportPlan, xData: TensorData): Promise<Float32Array> {
  const { b, x, params, output } = forwardGraph(plan, 'eval');
  b.output(output, 'y');
  const session = await openSession(serializeModel(b));
  try {
    const result = await session.run({ x: tensor(x.dtype, xData, x.shape), ...paramFeeds(plan, params) });
    return result.y.data as Float32Array;
  } finally {
    await session.release();
  }
}

/**
 * onnxruntime on the original file in inference mode; filled inputs get their value (a mask of
 * the padding: computed from the ids), inputs no
 * node reads random values of their declared shape.
 */
async function originalForward(plan: ImportPlan, xData: TensorData, rng: Rng): Promise<Float32Array> {
  const session: Session = await openSession(exportImported(plan, new Map()));
  try {
    const feeds = Object.fromEntries(
      plan.model.inputs.map((info) => {
        if (info.name === plan.input.name)
          return [
            info.name,
            tensor(plan.inputKind === 'tokens' ? 'int64' : 'float32', xData, [
              batchOf(plan),
              ...plan.inputShape,
            ]),
          ];
        const filled = plan.filled.find((f) => f.name === info.name);
        if (filled) {
          const dims = filled.batched ? [batchOf(plan), ...filled.dims] : filled.dims;
          const n = dims.reduce((a, b) => a * b, 1);
          const { value } = filled;
          // A mask of the padding (or a pair's type ids) has the ids' shape.
          const values =
            typeof value === 'object'
              ? idFill(value, xData as ArrayLike<number | bigint>, plan.inputShape.at(-1)!)
              : new Array<number>(n).fill(value);
          return [info.name, tensor(filled.dtype, toTyped(values, filled.dtype), dims)];
        }
        const dims = info.dims.map((d, i) => (typeof d === 'number' ? d : i === 0 ? batchOf(plan) : 1));
        const n = dims.reduce((a, b) => a * b, 1);
        const data =
          info.dtype === 'int64'
            ? new BigInt64Array(n)
            : Float32Array.from({ length: n }, () => rng.normal());
        return [info.name, tensor(info.dtype === 'int64' ? 'int64' : 'float32', data, dims)];
      }),
    );
    const result = await session.run(feeds, [plan.output.name]);
    return result[plan.output.name].data as Float32Array;
  } finally {
    await session.release();
  }
}

/**
 * L = mse(f(x), t) for a fixed random target; for up to three parameters, ⟨∇L, v⟩ along random
 * sparse directions v against finite differences (directionalCheck.ts).
 */
async function checkGradients(plan: ImportPlan, xData: TensorData, rng: Rng) {
  const { b, x, params, output } = forwardGraph(plan, 'train');
  const target = b.constant(
    Float32Array.from({ length: output.size }, () => rng.normal()),
    output.shape,
  );
  const loss = buildLoss(b, 'mse', output, target).mean;
  b.output(loss, 'loss');
  const picked = [0, Math.floor(params.length / 2), params.length - 1].filter(
    (i, k, all) => all.indexOf(i) === k,
  );
  const grads = gradients(
    b,
    loss,
    picked.map((i) => params[i]),
  );
  picked.forEach((i) => b.output(grads.get(params[i].name)!, `grad_${i}`));
  const session = await openSession(serializeModel(b));
  const run = async (values?: Map<string, Float32Array>) =>
    session.run({ x: tensor(x.dtype, xData, x.shape), ...paramFeeds(plan, params, values) });
  try {
    const base = await run();
    const checks: { parameter: string; relativeError: number; inconclusive?: true }[] = [];
    const atBase = (base.loss.data as Float32Array)[0];
    for (const i of picked) {
      const p = plan.parameters.find((q) => q.name === params[i].name)!;
      const g = base[`grad_${i}`].data as Float32Array;
      const verdict = await parameterError(async () => {
        // A sparse random direction: a few weights moved, the rest of the model as it is.
        const v = new Float32Array(p.data.length);
        for (let k = 0; k < Math.min(8, v.length); k++)
          v[Math.floor(rng.uniform() * v.length)] = rng.normal();
        const analytic = g.reduce((acc, gi, k) => acc + gi * v[k], 0);
        return directionalError(analytic, atBase, async (step) => {
          const moved = p.data.map((w, k) => w + step * v[k]);
          const at = await session.run(
            { x: tensor(x.dtype, xData, x.shape), ...paramFeeds(plan, params, new Map([[p.name, moved]])) },
            ['loss'],
          );
          return (at.loss.data as Float32Array)[0];
        });
      });
      checks.push({
        parameter: p.onnxName,
        relativeError: verdict.error,
        ...(verdict.conclusive ? {} : { inconclusive: true as const }),
      });
    }
    return checks;
  } finally {
    await session.release();
  }
}
