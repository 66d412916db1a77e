/**
 * A folder of images by class: `<folder>/<class name>/<image>.png` (or `.jpg`, `.jpeg`), the
 * layout of torchvision's ImageFolder. Class ids follow the sorted subfolder names (an imported
 * classifier's own classes where the names are its classes: data/modelClasses.ts). Every image is
 * decoded (imageDecode.ts), converted to grayscale or RGB and resized to `imageSize`
 * (imageResample.ts), on reader threads (imageReaders.ts).
 */
import * as l10n from '@vscode/l10n';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShapedExperiment } from './importedModel';
import type { Dataset, LoadDepth } from './api';
import { DataError } from './dataError';
import { adoptModelClasses } from './modelClasses';
import { isImageFile } from './imageFiles';
import type { ImageShape } from './imageJob';
import { readImages } from './imageReaders';
import type { Split } from '../contract/runStatus';
import { assignSplits, contiguousSplits, fractionsOf, refuseEmptySplits, type SplitIndices } from './splits';
import { tensorDataset } from './tensorDataset';

export async function imageFolderDataset(
  source: string,
  folder: string,
  experiment: ShapedExperiment,
  depth: LoadDepth,
): Promise<Dataset> {
  const { classes, files } = await listImages(folder);
  const fractions = fractionsOf(experiment.data);
  const splits = assignSplits(files.length, fractions, experiment.data.seed);
  refuseEmptySplits(splits, fractions, folder, 'images');
  return imagesDataset(source, files, classes, splits, experiment, depth);
}

/**
 * Split files as folders: each split's own folder of images by class, its images that split.
 * The classes are the training folder's; another folder may lack some, but not add one.
 */
export async function imageFolderSplits(
  source: string,
  folders: { split: Split; folder: string }[],
  experiment: ShapedExperiment,
  depth: LoadDepth,
): Promise<Dataset> {
  const counts: Record<Split, number> = { train: 0, validation: 0, test: 0 };
  const files: ImageFile[] = [];
  let classes: string[] = [];
  for (const { split, folder } of folders) {
    const listed = await listImages(folder);
    if (split === 'train') classes = listed.classes;
    for (const name of listed.classes)
      if (!classes.includes(name))
        throw new DataError(
          l10n.t(
            'the class folder "{0}" is not one of the training folder\'s classes ({1})',
            name,
            classes.join(', '),
          ),
          join(folder, name),
        );
    for (const file of listed.files)
      files.push({ path: file.path, label: classes.indexOf(listed.classes[file.label]) });
    counts[split] = listed.files.length;
  }
  return imagesDataset(source, files, classes, contiguousSplits(counts), experiment, depth);
}

/** The images as examples of `splits`, labelled by their class's index in `classes`. */
async function imagesDataset(
  source: string,
  files: ImageFile[],
  classes: string[],
  splits: SplitIndices,
  experiment: ShapedExperiment,
  depth: LoadDepth,
): Promise<Dataset> {
  const { x, inputShape } = await imagePixels(files, experiment, depth);
  const labels = Int32Array.from(files, (file) => file.label);
  return tensorDataset(
    {
      source,
      inputKind: 'float',
      inputShape,
      x,
      count: files.length,
      ...adoptModelClasses(labels, classes, experiment.modelClasses),
    },
    splits,
    experiment.training.loss,
  );
}

interface ImageFile {
  path: string;
  label: number;
}

/**
 * Files an operating system leaves in folders of pictures: skipped like hidden files, so a folder
 * copied from Windows or macOS reads as its images.
 */
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini']);

/** The class subfolders of `folder` (sorted) and their images, each labelled by its class's index. */
async function listImages(folder: string): Promise<{ classes: string[]; files: ImageFile[] }> {
  const entries = await readdir(folder, { withFileTypes: true });
  const classes = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  if (classes.length < 2) {
    throw new DataError(
      l10n.t(
        'an image dataset needs one subfolder per class (at least two), each holding PNG or JPEG images',
      ),
      folder,
    );
  }
  const files: ImageFile[] = [];
  for (const [label, name] of classes.entries()) {
    const classFolder = join(folder, name);
    const images = (await readdir(classFolder, { withFileTypes: true }))
      .filter((entry) => !entry.name.startsWith('.') && !SYSTEM_FILES.has(entry.name.toLowerCase()))
      .sort((a, b) => a.name.localeCompare(b.name));
    // An empty class would still be a class: one the model can never be shown, scored as if it were real.
    if (images.length === 0) {
      throw new DataError(
        l10n.t('the class folder "{0}" holds no images: add images of that class or remove the folder', name),
        classFolder,
      );
    }
    for (const entry of images) {
      const path = join(classFolder, entry.name);
      if (!isImageFile(entry.name)) {
        throw new DataError(
          l10n.t('only PNG and JPEG images are supported; convert or remove this file'),
          path,
        );
      }
      if (!(entry.isFile() || (await stat(path).catch(() => undefined))?.isFile())) {
        // Reading a pipe or device would block forever; a folder named .png is no image either.
        throw new DataError(l10n.t('not a regular file (a folder, pipe or device); remove it'), path);
      }
      files.push({ path, label });
    }
  }
  return { classes, files };
}

/** The input shape of one image: [channels, height, width] of the model's input (or data.imageSize). */
function imageShape(experiment: ShapedExperiment): ImageShape {
  const shape = experiment.model.input.shape;
  const channels = shape.length === 3 && shape[0] === 3 ? 3 : 1;
  const [height, width] = experiment.data.imageSize ?? (shape.length === 3 ? [shape[1], shape[2]] : [28, 28]);
  return [channels, height, width];
}

/**
 * Every image decoded, resized to the model's input (or data.imageSize) and kept as 8-bit pixels
 * (exampleRows.ts), on reader threads (imageReaders.ts); with `depth.pixels` false none is read
 * (the examples' values stay empty: a dataset of facts).
 */
async function imagePixels(
  files: ImageFile[],
  experiment: ShapedExperiment,
  depth: LoadDepth,
): Promise<{ x: Uint8Array; inputShape: number[] }> {
  const inputShape = imageShape(experiment);
  if (!depth.pixels) return { x: new Uint8Array(0), inputShape };
  const x = await readImages(
    files.map((file) => file.path),
    inputShape,
    depth,
  );
  return { x, inputShape };
}
