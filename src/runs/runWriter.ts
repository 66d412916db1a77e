/**
 * Writes one run folder. The host (extension) or the CLI owns it: every event
 * of the training process lands here and reaches the disk before the next one
 * is handled, so whatever happens to the process later, what was received is
 * kept. Synchronous on purpose: records are small, order matters, and an error
 * surfaces at the write that caused it.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from './atomicFile';
import { withAnnotationsFromDisk } from './runAnnotations';
import { withRunInfoLock } from './runInfoLock';
import { runFolderWriteError } from './runFolderError';
import { experimentFolderName, runIdFor } from './runId';
import { ATTENTION_INDEX, RUN_FILES, type AttentionIndex, type RunInfo } from './runFiles';
import type { AttentionSnapshot } from '../contract/attentionSnapshot';
import type { DynamicsRecord } from '../contract/dynamicsRecord';
import type { EvalReport } from '../contract/evalReport';
import type { MetricRecord } from '../contract/metricRecord';
import { readMetrics } from './runReader';
import { readCheckpointPosition } from './checkpoints';
import type { RunStatus } from '../contract/runStatus';

export interface CreateRunOptions {
  /** `<workspace>/.modellab/runs`. */
  runsDir: string;
  /** Everything of RunInfo that is known before training starts. */
  info: Omit<RunInfo, 'id' | 'status' | 'startedAt'>;
  /** Start time; also names the run. */
  now?: Date;
  /** `queued` for a sweep's trials, written before they train (default running). */
  status?: Extract<RunStatus, 'queued' | 'running'>;
  /** Carry the metrics up to `upToStep` of the run this one resumes, so its charts continue. */
  continueMetricsOf?: { runDir: string; upToStep: number };
}

export class RunWriter {
  private constructor(
    readonly dir: string,
    private currentInfo: RunInfo,
  ) {}

  /**
   * Creates `<runsDir>/<experiment>/<run-id>/` with run.json (status running).
   * The folder is claimed atomically: a non-recursive mkdir either creates it
   * or fails with EEXIST, so two writers started in the same second get
   * different folders (`<id>`, `<id>-2`, ...) instead of sharing one. If run.json
   * cannot be written, the claimed folder is removed again: no half run is left.
   */
  static create(options: CreateRunOptions): RunWriter {
    const now = options.now ?? new Date();
    const experimentDir = join(options.runsDir, experimentFolderName(options.info.experiment));
    try {
      mkdirSync(experimentDir, { recursive: true });
    } catch (error) {
      throw runFolderWriteError(experimentDir, error);
    }
    const id = claimRunFolder(experimentDir, runIdFor(now));
    const dir = join(experimentDir, id);
    const writer = new RunWriter(dir, {
      ...options.info,
      id,
      status: options.status ?? 'running',
      startedAt: now.toISOString(),
    });
    try {
      writer.writeInfo();
      if (options.continueMetricsOf) {
        const { runDir, upToStep } = options.continueMetricsOf;
        writer.appendMetrics(readMetrics(runDir).filter((record) => record.step <= upToStep));
      }
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return writer;
  }

  /** Re-opens an existing run folder (to mark an orphaned run interrupted, for example). */
  static open(dir: string, info: RunInfo): RunWriter {
    return new RunWriter(dir, info);
  }

  get info(): RunInfo {
    return this.currentInfo;
  }

  /** Merges `patch` into run.json and rewrites it atomically. */
  updateInfo(patch: Partial<RunInfo>): void {
    this.currentInfo = { ...this.currentInfo, ...patch };
    this.writeInfo();
  }

  /** Appends records to metrics.jsonl and folds their values into run.json's summary. */
  appendMetrics(records: MetricRecord[]): void {
    if (records.length === 0) return;
    this.append(RUN_FILES.metrics, records.map((record) => JSON.stringify(record) + '\n').join(''));
    this.foldSummary(records);
  }

  /**
   * Makes the run continue in its own folder (a sweep trial stopped or
   * interrupted earlier): metrics after the last checkpoint are dropped, so
   * the continued run records those steps once. With no checkpoint the run
   * starts over: its metrics, evaluation, model and snapshots go. Returns the
   * checkpoint's step, if any.
   */
  restartFromCheckpoint(): number | undefined {
    const step = readCheckpointPosition(this.dir, 'last')?.step;
    const kept = step === undefined ? [] : readMetrics(this.dir).filter((record) => record.step <= step);
    if (step === undefined) {
      for (const file of [RUN_FILES.eval, RUN_FILES.model, RUN_FILES.attention, RUN_FILES.checkpoints])
        rmSync(join(this.dir, file), { recursive: true, force: true });
    }
    writeFileAtomic(
      join(this.dir, RUN_FILES.metrics),
      kept.map((record) => JSON.stringify(record) + '\n').join(''),
      this.dir,
    );
    this.currentInfo = { ...this.currentInfo, summary: undefined, step: undefined, epoch: undefined };
    this.foldSummary(kept);
    this.writeInfo();
    return step;
  }

  private foldSummary(records: MetricRecord[]): void {
    const summary = { ...this.currentInfo.summary };
    let { step, epoch } = this.currentInfo;
    for (const record of records) {
      summary[`${record.split}/${record.name}`] = record.value;
      step = Math.max(step ?? 0, record.step);
      epoch = Math.max(epoch ?? 0, record.epoch);
    }
    this.currentInfo = { ...this.currentInfo, summary, step, epoch };
  }

  /** Appends one line to dynamics.jsonl. */
  appendDynamics(record: DynamicsRecord): void {
    this.append(RUN_FILES.dynamics, JSON.stringify(record) + '\n');
  }

  /** Appends lines to log.txt, each prefixed with the wall-clock time. */
  appendLog(message: string, now = new Date()): void {
    const stamp = now.toISOString();
    const lines = message.split(/\r?\n/).map((line) => `${stamp} ${line}\n`);
    this.append(RUN_FILES.log, lines.join(''));
  }

  /** Writes attention/<step>.json, then the index that lists it. */
  writeAttention(snapshot: AttentionSnapshot): void {
    const folder = join(this.dir, RUN_FILES.attention);
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw runFolderWriteError(folder, error);
    }
    writeJsonAtomic(join(folder, `${snapshot.step}.json`), snapshot, this.dir);
    const indexPath = join(folder, ATTENTION_INDEX);
    const steps = existsSync(indexPath)
      ? (JSON.parse(readFileSync(indexPath, 'utf8')) as AttentionIndex).steps
      : [];
    if (!steps.includes(snapshot.step)) steps.push(snapshot.step);
    const index: AttentionIndex = { steps: steps.sort((a, b) => a - b) };
    writeJsonAtomic(indexPath, index, this.dir);
  }

  writeEval(report: EvalReport): void {
    writeJsonAtomic(join(this.dir, RUN_FILES.eval), report, this.dir);
  }

  writeModel(bytes: Uint8Array): void {
    writeFileAtomic(join(this.dir, RUN_FILES.model), bytes, this.dir);
  }

  private writeInfo(): void {
    // The user may have renamed, tagged or annotated the run in the runs table meanwhile.
    withRunInfoLock(this.dir, () => {
      this.currentInfo = withAnnotationsFromDisk(this.dir, this.currentInfo);
      writeJsonAtomic(join(this.dir, RUN_FILES.info), this.currentInfo, this.dir);
    });
  }

  private append(file: string, text: string): void {
    try {
      appendFileSync(join(this.dir, file), text);
    } catch (error) {
      throw runFolderWriteError(this.dir, error);
    }
  }
}

/** Creates the first free `<baseId>`, `<baseId>-2`, … under `experimentDir` and returns its name. */
function claimRunFolder(experimentDir: string, baseId: string): string {
  for (let n = 1; ; n++) {
    const id = n === 1 ? baseId : `${baseId}-${n}`;
    try {
      mkdirSync(join(experimentDir, id));
      return id;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw runFolderWriteError(experimentDir, error);
    }
  }
}
