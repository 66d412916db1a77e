/**
 * `model-lab` command line: trains an experiment headless into the same run folder as the editor,
 * lists the runs (`runs`), checks whether an ONNX model can be trained (`onnx check`) and scores
 * one as it is on a data file (`onnx evaluate`).
 */
import * as l10n from '@vscode/l10n';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json';
import { DEVICE_NAMES, type DeviceName } from '../contract/devices';
import { bundleFor, useTranslations } from '../trainer/translations';
import { cliLanguage, intlLocale } from './cliLanguage';
import { exportPytorchCommand } from './exportCommand';
import { onnxCheckCommand, type OnnxCheckOptions } from './onnxCheckCommand';
import { onnxEvaluateCommand, type OnnxEvaluateOptions } from './onnxEvaluateCommand';
import { runsCommand } from './runsCommand';
import { summaryCommand, type SummaryOptions } from './summaryCommand';
import { sweepCommand } from './sweepCommand';
import { EXIT, trainCommand } from './trainCommand';
import { trialCommand } from './trialCommand';

// Everything the CLI prints, help included, in the user's language (`--lang`, else LANG).
const language = cliLanguage(process.argv.slice(2), process.env);
useTranslations(bundleFor(language));

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError(l10n.t('expected a whole number ≥ 1.'));
  return parsed;
}

/** Collects repeated `name=number` options into one record (`--size sequence=128`). */
function namedNumber(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const match = /^([^=]+)=(.+)$/.exec(value);
  const parsed = match ? Number(match[2]) : NaN;
  if (!match || !Number.isFinite(parsed))
    throw new InvalidArgumentError(l10n.t('expected name=number, e.g. sequence=128.'));
  return { ...previous, [match[1]]: parsed };
}

function deviceOption(): Option {
  return new Option(
    '--device <device>',
    l10n.t("device (default: the experiment's training.device, else auto)"),
  ).choices(DEVICE_NAMES);
}

const program = new Command()
  .name('model-lab')
  .description(l10n.t('Train Model Lab experiments from the terminal (no editor needed).'))
  .version(packageJson.version)
  .option('--lang <language>', l10n.t('language of messages, e.g. zh-CN (default: from LANG)'))
  // A bad flag is the user's input error like a bad experiment: exit 2, not commander's 1.
  // (Set before the subcommand is added, which inherits it.)
  .exitOverride();

program
  .command('train')
  .description(
    l10n.t('train an experiment file; writes <runs-dir>/<experiment>/<run-id>/ like the editor does'),
  )
  .argument('<experiment>', l10n.t('the experiment file, e.g. digits-cnn.experiment.json'))
  .option('--runs-dir <dir>', l10n.t('where run folders go'), '.modellab/runs')
  .addOption(deviceOption())
  .option('--max-steps <n>', l10n.t('stop after this many optimizer steps in total'), positiveInteger)
  .option(
    '--resume <runDir>',
    l10n.t('continue a run from its last checkpoint (a new run folder continues its metrics)'),
  )
  .action(
    async (
      experiment: string,
      options: { runsDir: string; device?: DeviceName; maxSteps?: number; resume?: string },
    ) => {
      process.exitCode = await trainCommand(experiment, options);
    },
  );

program
  .command('sweep')
  .description(
    l10n.t(
      "train every trial of the experiment's sweep, ranked at the end; Ctrl-C stops it, running it again continues",
    ),
  )
  .argument('<experiment>', l10n.t('the experiment file with a "sweep" section'))
  .option('--runs-dir <dir>', l10n.t('where run folders go'), '.modellab/runs')
  .addOption(deviceOption())
  .option('--max-steps <n>', l10n.t('stop each trial after this many optimizer steps'), positiveInteger)
  .action(
    async (experiment: string, options: { runsDir: string; device?: DeviceName; maxSteps?: number }) => {
      process.exitCode = await sweepCommand(experiment, options);
    },
  );

// Started by `sweep` for each trial: not for typing in.
program
  .command('trial', { hidden: true })
  .argument('<runDir>', l10n.t("a sweep trial's run folder, readied by model-lab sweep"))
  .addOption(deviceOption())
  .option('--max-steps <n>', l10n.t('stop after this many optimizer steps'), positiveInteger)
  .option('--resume', l10n.t("continue from the folder's own last checkpoint"))
  .action(async (runDir: string, options: { device?: DeviceName; maxSteps?: number; resume?: boolean }) => {
    process.exitCode = await trialCommand(runDir, options);
  });

program
  .command('runs')
  .description(
    l10n.t(
      'list the runs: status, start, duration, device, the settings that differ between them and their final metrics',
    ),
  )
  .option('--runs-dir <dir>', l10n.t('the folder holding <experiment>/<run>/'), '.modellab/runs')
  .option('--json', l10n.t('print every run with all its settings and its final and best metrics as JSON'))
  .action(async (options: { runsDir: string; json?: boolean }) => {
    process.exitCode = await runsCommand({ ...options, locale: intlLocale(language) });
  });

const onnxModels = program.command('onnx').description(l10n.t('ONNX models'));

onnxModels
  .command('check')
  .description(
    l10n.t(
      'can Model Lab train this ONNX model? Exit 0 trainable, 3 unsupported (listed), 1 a numeric check failed, 2 unreadable',
    ),
  )
  .argument('<model>', l10n.t('the .onnx file'))
  .option('--json', l10n.t('print the report as JSON'))
  .option('--input <name>', l10n.t('the graph input fed with data (default: the first)'))
  .option('--output <name>', l10n.t('the graph output the loss reads (default: the first)'))
  .option(
    '--size <axis=n>',
    l10n.t('the size of a named input axis, e.g. sequence=128 (repeatable; default: 8)'),
    namedNumber,
  )
  .option(
    '--fill <input=value>',
    l10n.t('feed another graph input this value everywhere, e.g. attention_mask=1 (repeatable)'),
    namedNumber,
  )
  .action(async (model: string, options: OnnxCheckOptions) => {
    process.exitCode = await onnxCheckCommand(model, options);
  });

onnxModels
  .command('evaluate')
  .description(
    l10n.t(
      "score an ONNX model as it is on every example of a data file: loss and the task's metrics. Exit 0 scored, 2 the model or the data cannot be used",
    ),
  )
  .argument('<model>', l10n.t('the .onnx file'))
  .argument(
    '<data>',
    l10n.t(
      'a .csv or .tsv table (labels or targets in its label column, else the last), a folder of images by class, or a .txt text',
    ),
  )
  .option('--json', l10n.t('print the scores as JSON'))
  .option(
    '--size <axis=n>',
    l10n.t('the size of a named input axis the file leaves open, e.g. sequence=128 (repeatable)'),
    namedNumber,
  )
  .action(async (model: string, data: string, options: OnnxEvaluateOptions) => {
    process.exitCode = await onnxEvaluateCommand(model, data, options);
  });

program
  .command('export')
  .description(l10n.t('export an experiment to another framework'))
  .command('pytorch')
  .description(
    l10n.t(
      'write a PyTorch project of the experiment (model.py, data.py, train.py) that also runs under torchrun',
    ),
  )
  .argument('<experiment>', l10n.t('the experiment file, e.g. digits-cnn.experiment.json'))
  .requiredOption('--out <dir>', l10n.t('the folder to write the project into (new or empty)'))
  .option('--force', l10n.t('write into a non-empty folder, replacing the exported files there'))
  .action(async (experiment: string, options: { out: string; force?: boolean }) => {
    process.exitCode = await exportPytorchCommand(experiment, options);
  });

program
  .command('summary')
  .description(
    l10n.t(
      "each layer's output shape, parameters and FLOPs per example, the totals and the estimated training memory",
    ),
  )
  .argument(
    '<experiment>',
    l10n.t(
      'the experiment file, e.g. digits-cnn.experiment.json, or an ONNX model (summarized as its fine-tuning experiment would train it)',
    ),
  )
  .option(
    '--json',
    l10n.t('print the summary as JSON (totalParams, layers with type, outputShape, params, flops)'),
  )
  .option(
    '--batch-size <n>',
    l10n.t('ONNX models: the batch size of the memory estimate (default 16, as the fine-tuning experiment)'),
    positiveInteger,
  )
  .option(
    '--size <axis=n>',
    l10n.t('ONNX models: the length of a named input axis in one example, e.g. sequence=128 (repeatable)'),
    namedNumber,
  )
  .action(async (experiment: string, options: SummaryOptions) => {
    process.exitCode = await summaryCommand(experiment, options);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (!(error instanceof CommanderError)) throw error;
  // Commander has already printed its message; --help and --version end with exit code 0.
  process.exitCode = error.exitCode === 0 ? 0 : EXIT.invalid;
});
