/**
 * `model-lab export pytorch` and "Model Lab: Export to PyTorch…": writes a standalone
 * PyTorch project of an experiment (model.py generated, data/ from Model Lab's loaders,
 * train.py and its helpers copied from pytorch-project/). Everything that can refuse
 * (invalid experiment, a layer with no PyTorch equivalent, a non-empty folder) does so
 * before the first file is written. Plain Node: no `vscode`.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import packageJson from '../../../package.json';
import { isOnnxModel, isSplitFiles, sourceLabel, type Experiment } from '../../contract/experiment';
import { BUILTIN_PREFIX } from '../../data/builtins';
import { isTableFile } from '../../data/csv';
import { resolveSource } from '../../data/resolveSource';
import { loadDataset } from '../../data/loadDataset';
import { DatasetCache } from '../../experiment/datasetCache';
import { inferShapes } from '../../experiment/shapes';
import { readExperimentText, validatedExperiment } from '../../experiment/experimentFile';
import { parseExperimentText } from '../../experiment/validate';
import { writeDataFiles, type SourceFile } from './dataFiles';
import { ExportError } from './exportError';
import { INITIAL_WEIGHTS, writeInitialWeights } from './initialWeights';
import { modelSource } from './modelSource';

/** The project's fixed files, copied as they are. */
const COPIED = ['layers.py', 'data.py', 'tables.py', 'train.py', 'runfolder.py'];

export interface ExportRequest {
  experimentFile: string;
  outDir: string;
  /** Write into a non-empty folder, replacing the exported files (other files stay). */
  force?: boolean;
}

export interface ExportResult {
  outDir: string;
  files: string[];
}

/** `pytorch-project/` beside `dist/` in the package, or at the repository root in tests. */
export function projectTemplateFolder(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pytorch-project', 'train.py'))) return join(dir, 'pytorch-project');
    if (dirname(dir) === dir)
      throw new ExportError('The PyTorch project template is missing from the installation.');
  }
}

function checkOutDir(outDir: string, force: boolean): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory())
    throw new ExportError(`${outDir} is a file, not a folder: choose a folder for the project.`);
  if (readdirSync(outDir).length > 0 && !force) {
    throw new ExportError(
      `${outDir} is not empty; nothing was written. Choose an empty or new folder, or pass --force to overwrite the exported files there.`,
    );
  }
}

export async function exportPytorchProject(request: ExportRequest): Promise<ExportResult> {
  const experimentFile = resolve(request.experimentFile);
  const outDir = resolve(request.outDir);
  checkOutDir(outDir, request.force ?? false);
  // Validation loads the data; the cache hands the same dataset to the export.
  const datasets = new DatasetCache(loadDataset, 1);
  const experimentDir = dirname(experimentFile);
  const parsed = parseExperimentText(await readExperimentText(experimentFile));
  const experiment = await validatedExperiment(parsed, experimentFile, experimentDir, datasets.load);
  if (isOnnxModel(experiment.model)) {
    throw new ExportError(
      `${experimentFile}: the model is an imported ONNX graph (${experiment.model.onnx}), which the PyTorch export cannot write as layers; export experiments whose model lists its layers. The original PyTorch code of that model is the place to train it.`,
    );
  }
  const layers = experiment.model.layers;
  const dataset = await datasets.load(experiment, experimentDir);
  const inference = inferShapes(dataset.inputShape, dataset.inputKind, layers);
  if (inference.problem) {
    const { layer, message } = inference.problem;
    throw new ExportError(`${experimentFile}: layer ${layer}: ${message}`);
  }
  const inputShapes = layers.map((_, i) => (i === 0 ? dataset.inputShape : inference.shapes[i - 1]));
  const model = modelSource(experiment.name, layers, inputShapes);
  const template = projectTemplateFolder();

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.py'), model);
  for (const file of COPIED) copyFileSync(join(template, file), join(outDir, file));
  writeFileSync(join(outDir, 'experiment.json'), JSON.stringify(experiment, null, 2) + '\n');
  writeFileSync(
    join(outDir, 'README.md'),
    readme(
      readFileSync(join(template, 'README.md'), 'utf8'),
      experiment.name,
      sourceLabel(experiment.data.source),
    ),
  );
  writeDataFiles(
    join(outDir, 'data'),
    dataset,
    packageJson.version,
    userSourceFile(experiment, experimentDir),
  );
  writeInitialWeights(join(outDir, INITIAL_WEIGHTS), experiment, layers, dataset);
  return {
    outDir,
    files: ['model.py', ...COPIED, 'experiment.json', 'README.md', 'data/', `${INITIAL_WEIGHTS}/`],
  };
}

/** A .txt corpus or CSV table of the user's (not a built-in, split files, a series or an image folder), which data.py reads itself. */
function userSourceFile(experiment: Experiment, experimentDir: string): SourceFile | undefined {
  const { data, task } = experiment;
  if (isSplitFiles(data.source) || data.source.startsWith(BUILTIN_PREFIX)) return undefined;
  const path = resolveSource(data.source, experimentDir);
  const extension = extname(path).toLowerCase();
  if (extension === '.txt') return { path, kind: 'text', data, task };
  if (isTableFile(path) && data.format !== 'series') return { path, kind: 'csv', data, task };
  return undefined;
}

function readme(template: string, name: string, source: string): string {
  return template.replaceAll('{{name}}', name).replaceAll('{{source}}', source);
}

export { ExportError };
