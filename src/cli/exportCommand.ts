/**
 * `model-lab export pytorch <experiment> --out DIR [--force]`: writes a standalone PyTorch
 * project of the experiment (src/export/pytorch). Refusals print one message naming the
 * file or folder and what to do, and leave the disk untouched.
 */
import * as l10n from '@vscode/l10n';
import { exportPytorchProject, ExportError } from '../export/pytorch/exportProject';
import { ExperimentError } from '../experiment/experimentFile';
import { DataError } from '../data/api';

/** Exit codes: 0 written, 2 refused (invalid experiment, unexpressible layer, non-empty folder), 1 failed. */
export const EXPORT_EXIT = { written: 0, failed: 1, refused: 2 } as const;

export async function exportPytorchCommand(
  experiment: string,
  options: { out: string; force?: boolean },
): Promise<number> {
  try {
    const result = await exportPytorchProject({
      experimentFile: experiment,
      outDir: options.out,
      force: options.force,
    });
    console.log(l10n.t('PyTorch project written to {0}', result.outDir));
    const oneProcess = 'python train.py';
    const nProcesses = 'torchrun --nproc_per_node N train.py';
    console.log(`  ${oneProcess.padEnd(nProcesses.length)} (${l10n.t('one process')})`);
    console.log(`  ${nProcesses} (${l10n.t('N processes')})`);
    return EXPORT_EXIT.written;
  } catch (error) {
    const refused =
      error instanceof ExportError || error instanceof ExperimentError || error instanceof DataError;
    console.error(error instanceof Error ? error.message : String(error));
    return refused ? EXPORT_EXIT.refused : EXPORT_EXIT.failed;
  }
}
