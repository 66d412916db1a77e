/**
 * "Model Lab: Import ONNX Model…" (palette) and "Fine-tune…" (explorer, on a .onnx file): reads
 * the model, and when Model Lab can train it writes `<model>.experiment.json` beside it
 * (src/experiment/onnxExperiment.ts) and opens it. A model that reads several inputs feeds its
 * token ids and fills the others (an attention mask with ones); the size of each named axis of an
 * example (a dynamic sequence length) is asked for. A model saved with its Hugging Face tokenizer
 * (tokenizer.json beside it) gets a table of texts read through it, the mask 0 at the padding.
 * A model that cannot be imported is named
 * in an error notification with the importer's reason; nothing is written then.
 * The importer loads on first use (engine/onnxImporter.ts); the extension host never loads
 * onnxruntime (training and checks run in the training process or the CLI).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { OnnxModel } from '../../engine/onnx';
import { onnxImporter } from '../../engine/onnxImporter';
import { tokenizerBeside } from '../../data/textTokenizer';
import { onnxExperiment } from '../../experiment/onnxExperiment';
import { askAxisSizes } from '../onnxModel/axisSizes';
import { EXPERIMENT_SUFFIX, uriExists } from './experimentFiles';

export const IMPORT_ONNX_COMMAND = 'modelLab.importOnnxModel';

async function pickModel(): Promise<vscode.Uri | undefined> {
  const [picked] =
    (await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { [vscode.l10n.t('ONNX models')]: ['onnx'] },
      openLabel: vscode.l10n.t('Import'),
      title: vscode.l10n.t('Import ONNX Model: choose a .onnx file'),
    })) ?? [];
  return picked;
}

/** The size of each named axis of an example (a sequence length exported as a dynamic axis). */
function askSizes(model: OnnxModel): Promise<Record<string, number> | undefined> {
  const { input, unsized } = onnxImporter().importDefaults(model);
  const shape = model.inputs.find((v) => v.name === input)?.dims.join(' × ') ?? '';
  return askAxisSizes(unsized, {
    title: (axis) => vscode.l10n.t('Import ONNX Model: the size of "{0}"', axis),
    prompt: (axis) =>
      vscode.l10n.t(
        '{0} takes {1}, and the file leaves "{2}" open: how long is it in one example of your data (e.g. the token ids per row)?',
        String(input),
        shape,
        axis,
      ),
  });
}

/** Returns the experiment file written, or undefined when cancelled or refused. */
export async function importOnnxModel(modelUri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri = modelUri ?? (await pickModel());
  if (!uri) return undefined;
  const file = uri.fsPath;
  let plan;
  try {
    const { readOnnxModel, planImport, defaultImportOptions } = onnxImporter();
    const model = readOnnxModel(readFileSync(file), (location) =>
      readFileSync(join(dirname(file), location)),
    );
    const sizes = await askSizes(model);
    if (!sizes) return undefined;
    plan = planImport(model, defaultImportOptions(model, sizes));
  } catch (error) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Model Lab cannot fine-tune {0}: {1}',
        basename(file),
        error instanceof Error ? error.message : String(error),
      ),
    );
    return undefined;
  }
  const name =
    basename(file, '.onnx')
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '') || 'model';
  const target = vscode.Uri.file(join(dirname(file), `${name}${EXPERIMENT_SUFFIX}`));
  if (await uriExists(target)) {
    const overwrite = vscode.l10n.t('Overwrite');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists.', vscode.workspace.asRelativePath(target, true)),
      { modal: true, detail: vscode.l10n.t('Replace it with a new experiment for this model?') },
      overwrite,
    );
    if (answer !== overwrite) return undefined;
  }
  // A model saved with its tokenizer (save_pretrained) reads texts through it.
  const experiment = onnxExperiment(plan, basename(file), name, tokenizerBeside(dirname(file)));
  await vscode.workspace.fs.writeFile(
    target,
    new TextEncoder().encode(JSON.stringify(experiment, null, 2) + '\n'),
  );
  await vscode.window.showTextDocument(target);
  return target;
}
