/**
 * `model-lab onnx check <model.onnx> [--json] [--size axis=n] [--fill input=value]`: can Model Lab train this model? Prints every op
 * (supported or not, with its nodes), whether the training graph builds, the forward's largest
 * difference from onnxruntime and the finite-difference gradient checks.
 * Exit codes: 0 trainable, 3 an op, attribute or shape is unsupported, 1 a numeric check
 * failed, 2 the file cannot be read as ONNX (3 when it holds a tensor type Model Lab does not read).
 */
import * as l10n from '@vscode/l10n';
import { OnnxImportError, readOnnxFile } from '../engine/onnx';
import { checkCompatibility, type CompatibilityReport } from '../engine/onnx/compatibility';

const EXIT: Record<CompatibilityReport['verdict'], number> = {
  trainable: 0,
  unsupported: 3,
  'numeric-check-failed': 1,
};

export interface OnnxCheckOptions {
  json?: boolean;
  input?: string;
  output?: string;
  size?: Record<string, number>;
  fill?: Record<string, number>;
}

export async function onnxCheckCommand(file: string, options: OnnxCheckOptions): Promise<number> {
  let report: CompatibilityReport;
  try {
    report = await checkCompatibility(readOnnxFile(file), {
      input: options.input,
      output: options.output,
      sizes: options.size,
      fill: options.fill,
    });
  } catch (error) {
    const message = error instanceof OnnxImportError ? error.message : (error as Error).message;
    // A readable file with a tensor type Model Lab does not read (float16…): unsupported.
    const code = error instanceof OnnxImportError && error.kind === 'unsupported' ? 3 : 2;
    if (options.json)
      process.stdout.write(JSON.stringify({ file, verdict: 'unreadable', problems: [message] }) + '\n');
    else process.stderr.write(`${file}: ${l10n.t('error: {0}', message)}\n`);
    return code;
  }
  if (options.json) process.stdout.write(JSON.stringify({ file, ...report }, null, 2) + '\n');
  else process.stdout.write(describe(file, report));
  return EXIT[report.verdict];
}

/** null: a figure that was not a finite number (see CompatibilityReport). */
const exponential = (value: number | null) => (value === null ? 'NaN' : value.toExponential(2));

function describe(file: string, r: CompatibilityReport): string {
  const lines = [
    r.producer
      ? l10n.t('{0}: ONNX opset {1}, made by {2}', file, r.opset, r.producer)
      : l10n.t('{0}: ONNX opset {1}', file, r.opset),
    l10n.t('Ops:'),
  ];
  for (const op of r.ops) {
    const nodes = op.nodes.length > 3 ? `${op.nodes.slice(0, 3).join(', ')}, …` : op.nodes.join(', ');
    lines.push(
      `  ${op.supported ? '✓' : '✗'} ${op.opType} ×${op.nodes.length} (${nodes})${op.reason ? `: ${op.reason}` : ''}`,
    );
  }
  if (r.parameters !== undefined)
    lines.push(
      l10n.t(
        'Training graph: input {0}, output {1}, {2} trainable parameters',
        String(r.input),
        String(r.output),
        r.parameters.toLocaleString('en'),
      ),
    );
  if (r.forwardDifference !== undefined)
    lines.push(
      l10n.t(
        'Forward vs onnxruntime (random inputs, batch {1}): largest difference {0}',
        exponential(r.forwardDifference),
        r.batch ?? 2,
      ),
    );
  if (r.assumed?.length) lines.push(l10n.t('Checked with: {0}', r.assumed.join(', ')));
  for (const g of r.gradientChecks ?? [])
    lines.push(
      g.inconclusive
        ? l10n.t(
            'Gradient check {0}: not confirmed, its float32 finite differences did not settle at any step size (best relative error {1})',
            g.parameter,
            exponential(g.relativeError),
          )
        : l10n.t('Gradient check {0}: relative error {1}', g.parameter, exponential(g.relativeError)),
    );
  for (const p of r.problems) lines.push(l10n.t('Problem: {0}', p));
  const verdict = {
    trainable: () => l10n.t('Model Lab can train this model.'),
    unsupported: () => l10n.t('Model Lab cannot train this model.'),
    'numeric-check-failed': () => l10n.t('A numeric check failed: training would not be faithful.'),
  }[r.verdict]();
  lines.push(verdict, '');
  return lines.join('\n');
}
