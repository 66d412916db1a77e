/**
 * Reading an image folder's images on reader threads. Each image is independent, so `threads`
 * threads take about 1/`threads` of one's time, and the loading thread (a training process's, or
 * the editor's for an export) stays free for messages; a small folder gets one thread. The
 * decoders load only there (dist/image-reader.js), never in the editor's own bundle. An image's
 * bytes do not depend on the number of threads, and a failure names the first bad file in folder
 * order.
 */
import * as l10n from '@vscode/l10n';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LoadOptions } from './api';
import { DataError } from './dataError';
import type { ImageJob, ImageOutcome, ImageShape } from './imageJob';

/** Images per reader thread below which a thread costs more to start than it saves. */
const IMAGES_PER_THREAD = 48;
/** Jobs a thread holds at once, so it never waits on the loading thread between two images. */
const JOBS_IN_FLIGHT = 2;

/** The images' pixels, example after example: `paths.length × channels × height × width` bytes. */
export async function readImages(
  paths: string[],
  shape: ImageShape,
  options: LoadOptions = {},
): Promise<Uint8Array> {
  const size = shape[0] * shape[1] * shape[2];
  const x = new Uint8Array(paths.length * size);
  let done = 0;
  const keep = (outcome: ImageOutcome) => {
    x.set(pixelsOf(outcome, paths[outcome.index]), outcome.index * size);
    options.reading?.(++done, paths.length);
  };
  options.reading?.(0, paths.length);
  await onThreads(paths, shape, readerThreads(paths.length, options.threads ?? availableParallelism()), keep);
  return x;
}

/** How many reader threads `count` images are worth, within `budget`. */
export function readerThreads(count: number, budget: number): number {
  return Math.max(1, Math.min(budget, Math.floor(count / IMAGES_PER_THREAD)));
}

/**
 * Hands the images out in folder order, JOBS_IN_FLIGHT per thread, and gives each outcome to
 * `keep` as it comes. After a failure nothing more is handed out; the jobs already out finish, so
 * every image before the first bad one is read and that one is the failure reported.
 */
async function onThreads(
  paths: string[],
  shape: ImageShape,
  threads: number,
  keep: (outcome: ImageOutcome) => void,
): Promise<void> {
  const readers = Array.from({ length: threads }, startReader);
  let next = 0;
  let out = 0;
  let firstFailure: { index: number; error: unknown } | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const handOut = (reader: Worker) => {
        if (firstFailure !== undefined || next >= paths.length) return;
        const job: ImageJob = { index: next, path: paths[next], shape };
        next++;
        out++;
        reader.postMessage(job);
      };
      const settleIfIdle = () => {
        if (out > 0) return;
        if (firstFailure === undefined) resolve();
        else reject(firstFailure.error);
      };
      for (const reader of readers) {
        reader.on('message', (outcome: ImageOutcome) => {
          out--;
          try {
            keep(outcome);
          } catch (error) {
            if (firstFailure === undefined || outcome.index < firstFailure.index)
              firstFailure = { index: outcome.index, error };
          }
          handOut(reader);
          settleIfIdle();
        });
        // A thread that dies (out of memory, a bug) ends the reading; nothing waits on its jobs.
        reader.on('error', reject);
        reader.on('exit', (code) =>
          reject(new Error(l10n.t('an image reader thread stopped early (exit code {0})', code))),
        );
        for (let i = 0; i < JOBS_IN_FLIGHT; i++) handOut(reader);
      }
      settleIfIdle();
    });
  } finally {
    await Promise.all(readers.map((reader) => reader.terminate()));
  }
}

/**
 * A reader thread. Bundled, the entry is dist/image-reader.js beside the running bundle; run from
 * the sources (tests, benchmarks), it is imageReaderThread.ts compiled by tsx, which a thread
 * must register for itself.
 */
function startReader(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'image-reader.js'));
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  const entry = join(__dirname, 'imageReaderThread.ts');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true });
}

/** The outcome's pixels, or a DataError naming `path` and what to do. */
function pixelsOf(outcome: ImageOutcome, path: string): Uint8Array {
  if ('pixels' in outcome) return outcome.pixels;
  const messages = {
    unsupported: () => l10n.t('only PNG and JPEG images are supported; convert or remove this file'),
    read: () => l10n.t('the image could not be read ({0})', outcome.detail),
    decode: () => l10n.t('not a readable image ({0})', outcome.detail),
  };
  throw new DataError(messages[outcome.failure](), path);
}
