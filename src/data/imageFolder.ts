/**
 * A folder of images by class: `<folder>/<class name>/<image>.png`. Class ids
 * follow the sorted subfolder names. Every image is decoded with pngjs (pure
 * JavaScript, no native code), converted to grayscale or RGB, resized to
 * `imageSize` with bilinear sampling and scaled to [0, 1].
 */
import * as l10n from '@vscode/l10n';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { PNG } from 'pngjs';
import type { ShapedExperiment } from './importedModel';
import type { Dataset } from './api';
import { DataError } from './dataError';
import type { Split } from '../contract/runStatus';
import { assignSplits, contiguousSplits, fractionsOf, refuseEmptySplits } from './splits';
import { tensorDataset } from './tensorDataset';

export async function imageFolderDataset(
  source: string,
  folder: string,
  experiment: ShapedExperiment,
): Promise<Dataset> {
  const { classes, files } = await listImages(folder);
  const { x, inputShape } = await decodeImages(files, experiment);
  const labels = Int32Array.from(files, (file) => file.label);
  const fractions = fractionsOf(experiment.data);
  const splits = assignSplits(files.length, fractions, experiment.data.seed);
  refuseEmptySplits(splits, fractions, folder, 'images');
  return tensorDataset(
    { source, inputKind: 'float', inputShape, x, count: files.length, labels, classes },
    splits,
    experiment.training.loss,
  );
}

/**
 * Split files as folders: each split's own folder of images by class, its images that split.
 * The classes are the training folder's; another folder may lack some, but not add one.
 */
export async function imageFolderSplits(
  source: string,
  folders: { split: Split; folder: string }[],
  experiment: ShapedExperiment,
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
  const { x, inputShape } = await decodeImages(files, experiment);
  return tensorDataset(
    {
      source,
      inputKind: 'float',
      inputShape,
      x,
      count: files.length,
      labels: Int32Array.from(files, (file) => file.label),
      classes,
    },
    contiguousSplits(counts),
    experiment.training.loss,
  );
}

interface ImageFile {
  path: string;
  label: number;
}

/** The class subfolders of `folder` (sorted) and their PNG images, each labelled by its class's index. */
async function listImages(folder: string): Promise<{ classes: string[]; files: ImageFile[] }> {
  const entries = await readdir(folder, { withFileTypes: true });
  const classes = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
  if (classes.length < 2) {
    throw new DataError(
      l10n.t('an image dataset needs one subfolder per class (at least two), each holding PNG images'),
      folder,
    );
  }
  const files: ImageFile[] = [];
  for (const [label, name] of classes.entries()) {
    const classFolder = join(folder, name);
    const images = (await readdir(classFolder, { withFileTypes: true }))
      .filter((entry) => !entry.name.startsWith('.'))
      .sort((a, b) => a.name.localeCompare(b.name));
    // An empty class would still be a class: one the model can never be shown, scored as if it were real.
    if (images.length === 0) {
      throw new DataError(
        l10n.t(
          'the class folder "{0}" holds no PNG images: add images of that class or remove the folder',
          name,
        ),
        classFolder,
      );
    }
    for (const entry of images) {
      const path = join(classFolder, entry.name);
      if (extname(entry.name).toLowerCase() !== '.png') {
        throw new DataError(l10n.t('only PNG images are supported; convert or remove this file'), path);
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

/** Every image decoded, resized to the model's input (or data.imageSize) and scaled to [0, 1]. */
async function decodeImages(
  files: ImageFile[],
  experiment: ShapedExperiment,
): Promise<{ x: Float32Array; inputShape: number[] }> {
  const shape = experiment.model.input.shape;
  const channels = shape.length === 3 && shape[0] === 3 ? 3 : 1;
  const [height, width] = experiment.data.imageSize ?? (shape.length === 3 ? [shape[1], shape[2]] : [28, 28]);
  const size = channels * height * width;
  const x = new Float32Array(files.length * size);
  // Loaded here, not at the top: the editor loads this module at startup to validate experiments
  // (the build ships pngjs as `dist/vendor/pngjs.js`).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at startup
  const pngjs = require('pngjs') as typeof import('pngjs');
  for (const [i, { path }] of files.entries()) {
    let png: PNG;
    try {
      png = pngjs.PNG.sync.read(await readFile(path));
    } catch (error) {
      throw new DataError(l10n.t('not a readable PNG image ({0})', (error as Error).message), path);
    }
    resizeInto(png, channels, height, width, x.subarray(i * size, (i + 1) * size));
  }
  return { x, inputShape: [channels, height, width] };
}

/** Bilinear resize of an RGBA image into a [channels, height, width] slice, values in [0, 1]. */
function resizeInto(png: PNG, channels: number, height: number, width: number, out: Float32Array): void {
  const pixel = (px: number, py: number, c: number): number => {
    const at = (py * png.width + px) * 4;
    const alpha = png.data[at + 3] / 255;
    // Transparent pixels read as black background; grayscale uses ITU-R BT.601 luma.
    const value =
      c < 0 ? 0.299 * png.data[at] + 0.587 * png.data[at + 1] + 0.114 * png.data[at + 2] : png.data[at + c];
    return (value / 255) * alpha;
  };
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max(((y + 0.5) * png.height) / height - 0.5, 0), png.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, png.height - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max(((x + 0.5) * png.width) / width - 0.5, 0), png.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, png.width - 1);
      const fx = sx - x0;
      for (let c = 0; c < channels; c++) {
        const channel = channels === 1 ? -1 : c;
        const top = pixel(x0, y0, channel) * (1 - fx) + pixel(x1, y0, channel) * fx;
        const bottom = pixel(x0, y1, channel) * (1 - fx) + pixel(x1, y1, channel) * fx;
        out[c * height * width + y * width + x] = top * (1 - fy) + bottom * fy;
      }
    }
  }
}
