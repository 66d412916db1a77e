/**
 * A small, valid CSV experiment in a scratch folder, and the means to break
 * one thing in it: each bad-input case states only what it changes.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Experiment } from '../../../src/contract/experiment';
import { quickTraining } from '../../fixtures/experimentParts';

export const EXPERIMENT_NAME = 'bad-input';

/** Two numeric features and a two-class label, 20 rows. */
export function goodCsv(rows = 20): string {
  const lines = ['a,b,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${(i * 7) % 5},${i % 2 === 0 ? 'even' : 'odd'}`);
  return lines.join('\n') + '\n';
}

export function goodExperiment(): Experiment {
  return {
    name: EXPERIMENT_NAME,
    task: 'classification',
    data: {
      source: 'data.csv',
      target: 'label',
      header: true,
      splits: { train: 0.6, validation: 0.2, test: 0.2 },
      seed: 1,
    },
    model: { input: { shape: [2] }, layers: [{ type: 'dense', units: 2 }] },
    training: quickTraining({ batchSize: 2 }),
  };
}

export interface Scratch {
  dir: string;
  experimentFile: string;
  runsDir: string;
  /** The experiment's data.source when a case changes it (messages point at its value). */
  experimentSource?: string;
  /** Absolute path of a file in the scratch folder. */
  path(name: string): string;
  /** Writes a file (folders created as needed). */
  write(name: string, contents: string | Uint8Array): string;
  /** Writes the experiment file: the good one changed by `edit`, pretty-printed like a user's file. */
  writeExperiment(edit?: (experiment: Experiment) => void): string;
  /** `file:line:col` of the nth occurrence (default: first) of `needle` in the experiment text (1-based, as the CLI prints). */
  at(needle: string, occurrence?: number): string;
}

const created: string[] = [];

/** A fresh scratch folder, removed again by `removeScratchFolders`. */
export function scratchFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'model-lab-bad-input-'));
  created.push(dir);
  return dir;
}

/** Removes every scratch folder made so far (for an `after` hook). */
export function removeScratchFolders(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function scratch(): Scratch {
  const dir = scratchFolder();
  const experimentFile = join(dir, `${EXPERIMENT_NAME}.experiment.json`);
  let text = '';
  const self: Scratch = {
    dir,
    experimentFile,
    runsDir: join(dir, 'runs'),
    path: (name) => resolve(dir, name),
    write(name, contents) {
      const file = self.path(name);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, contents);
      return file;
    },
    writeExperiment(edit) {
      const experiment = goodExperiment();
      edit?.(experiment);
      text = JSON.stringify(experiment, null, 2) + '\n';
      return self.write(experimentFile, text);
    },
    at(needle, occurrence = 1) {
      let offset = -1;
      for (let n = 0; n < occurrence; n++) offset = text.indexOf(needle, offset + 1);
      if (offset < 0) throw new Error(`${needle} is not in the experiment text`);
      const before = text.slice(0, offset).split('\n');
      return `${experimentFile}:${before.length}:${before[before.length - 1].length + 1}`;
    },
  };
  return self;
}

/** A named pipe: reading it without a writer blocks forever. */
export function makeFifo(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  return new Promise((done, fail) => execFile('mkfifo', [path], (error) => (error ? fail(error) : done())));
}
