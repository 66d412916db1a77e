/** `model-lab` command line: trains an experiment headless into the same run folder as the editor. */
import { Command, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json';
import { DEVICE_NAMES, type DeviceName } from '../contract/devices';
import { trainCommand } from './trainCommand';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a whole number ≥ 1.');
  return parsed;
}

const program = new Command()
  .name('model-lab')
  .description('Train Model Lab experiments from the terminal (no editor needed).')
  .version(packageJson.version);

program
  .command('train')
  .description('train an experiment file; writes <runs-dir>/<experiment>/<run-id>/ like the editor does')
  .argument('<experiment>', 'the experiment file, e.g. digits-cnn.experiment.json')
  .option('--runs-dir <dir>', 'where run folders go', '.modellab/runs')
  .addOption(
    new Option('--device <device>', "device (default: the experiment's training.device, else auto)").choices(
      DEVICE_NAMES,
    ),
  )
  .option('--max-steps <n>', 'stop after this many optimizer steps in total', positiveInteger)
  .option(
    '--resume <runDir>',
    'continue a run from its last checkpoint (a new run folder continues its metrics)',
  )
  .action(
    async (
      experiment: string,
      options: { runsDir: string; device?: DeviceName; maxSteps?: number; resume?: string },
    ) => {
      process.exitCode = await trainCommand(experiment, options);
    },
  );

void program.parseAsync(process.argv);
