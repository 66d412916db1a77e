import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import packageJson from '../../../package.json';
import { runContextValue } from '../../../src/extension/runs/runContext';
import type { Experiment } from '../../../src/contract/experiment';
import { saveCheckpoint } from '../../../src/runs/checkpoints';
import type { RunStatus } from '../../../src/contract/runStatus';
import { RUN_FILES } from '../../../src/runs/runFiles';
import { listRuns } from '../../../src/runs/runReader';
import { RunWriter } from '../../../src/runs/runWriter';
import { experimentFixture, runInfoFixture } from '../../fixtures/runInfo';

const runsDir = mkdtempSync(join(tmpdir(), 'modellab-menus-'));
after(() => rmSync(runsDir, { recursive: true, force: true }));

/** A run folder with the given status and files, as the trainer leaves them. */
function run(
  status: RunStatus,
  files: {
    eval?: boolean;
    checkpoint?: boolean;
    model?: boolean;
    attention?: boolean;
    conv?: boolean;
    recurrent?: 'lstm' | 'gru';
  } = {},
): string {
  const config: Experiment = experimentFixture();
  if (files.attention)
    config.model.layers = [{ type: 'transformer', heads: 2 }, ...(config.model.layers ?? [])];
  if (files.conv)
    config.model.layers = [
      { type: 'conv2d', filters: 4, kernel: 3 },
      { type: 'flatten' },
      ...(config.model.layers ?? []),
    ];
  if (files.recurrent)
    config.model.layers = [{ type: files.recurrent, units: 8 }, ...(config.model.layers ?? [])];
  const writer = RunWriter.create({ runsDir, info: runInfoFixture({ config }) });
  writer.updateInfo({ status });
  if (files.eval) writeFileSync(join(writer.dir, RUN_FILES.eval), '{}');
  if (files.model) writeFileSync(join(writer.dir, RUN_FILES.model), '');
  if (files.checkpoint) {
    saveCheckpoint(writer.dir, 'last', {
      state: { step: 4, tensors: { w: { dims: [1], data: Float32Array.of(1) } } },
      position: { step: 4, epoch: 0, batchInEpoch: 4, validationsWithoutImprovement: 0 },
    });
  }
  const entry = listRuns(runsDir, 'digits-cnn').find((candidate) => candidate.dir === writer.dir);
  return runContextValue(entry!);
}

/**
 * The Runs view's context-menu commands for a run item, evaluated from
 * package.json's `when` clauses the way VS Code does for these forms
 * (`view == x`, `viewItem == x`, `viewItem =~ /re/`, joined by &&).
 */
function menuFor(contextValue: string): string[] {
  const context: Record<string, string> = { view: 'modelLab.runs', viewItem: contextValue };
  const holds = (term: string): boolean => {
    const regex = /^(\w+) =~ \/(.*)\/$/.exec(term);
    if (regex) return new RegExp(regex[2]).test(context[regex[1]]);
    const [key, op, value] = term.split(' ');
    if (op === '==') return context[key] === value;
    if (op === '!=') return context[key] !== value;
    throw new Error(`unexpected when term: ${term}`);
  };
  return packageJson.contributes.menus['view/item/context']
    .filter((item) => item.group !== 'inline' && item.when.split(' && ').every(holds))
    .map((item) => item.command.replace('modelLab.', ''));
}

const ALWAYS = ['openMetrics', 'compareRuns', 'revealRun'];

test('a completed run offers Evaluation (it has eval.json) and Export, but not Resume: nothing is left to resume', () => {
  const menu = menuFor(run('completed', { eval: true, checkpoint: true, model: true }));
  assert.deepEqual(
    menu.sort(),
    [...ALWAYS, 'openEvaluation', 'exportModel', 'deleteRun', 'openPlayground'].sort(),
  );
});

test('a stopped run with a checkpoint offers Resume and Export; no Evaluation without eval.json, no Attention without attention layers', () => {
  const menu = menuFor(run('stopped', { checkpoint: true, model: true }));
  assert.deepEqual(menu.sort(), [...ALWAYS, 'resume', 'exportModel', 'deleteRun', 'openPlayground'].sort());
});

test('an interrupted or failed run resumes only when it saved a checkpoint', () => {
  assert.ok(menuFor(run('interrupted', { checkpoint: true })).includes('resume'));
  assert.ok(menuFor(run('failed', { checkpoint: true })).includes('resume'));
  assert.ok(!menuFor(run('failed')).includes('resume'), 'a run that failed before its first checkpoint');
  assert.ok(!menuFor(run('interrupted')).includes('resume'));
});

test('a running Transformer run offers Stop and Attention, and neither Delete nor Resume', () => {
  const menu = menuFor(run('running', { attention: true, checkpoint: true }));
  assert.deepEqual(menu.sort(), [...ALWAYS, 'openAttention', 'stop', 'openPlayground'].sort());
});

test('the playground is offered once a run has a checkpoint to answer with, live runs included', () => {
  assert.ok(menuFor(run('running', { checkpoint: true })).includes('openPlayground'));
  assert.ok(!menuFor(run('running')).includes('openPlayground'), 'no checkpoint saved yet');
  assert.ok(!menuFor(run('failed')).includes('openPlayground'));
});

test('Look Inside (CNN) is offered on runs whose model has conv2d layers, live ones too, and on no other', () => {
  assert.ok(
    menuFor(run('completed', { conv: true, checkpoint: true, eval: true })).includes('lookInsideCnn'),
  );
  assert.ok(
    menuFor(run('running', { conv: true })).includes('lookInsideCnn'),
    'opens with the first checkpoint',
  );
  assert.ok(
    !menuFor(run('completed', { checkpoint: true, eval: true })).includes('lookInsideCnn'),
    'a dense model',
  );
  assert.ok(!menuFor(run('running', { attention: true, checkpoint: true })).includes('lookInsideCnn'));
});

test('Look Inside (LSTM/GRU) is offered on runs whose model has lstm or gru layers, live ones too, and on no other', () => {
  assert.ok(menuFor(run('completed', { recurrent: 'lstm', checkpoint: true })).includes('lookInsideRnn'));
  assert.ok(
    menuFor(run('running', { recurrent: 'gru' })).includes('lookInsideRnn'),
    'opens with the first checkpoint',
  );
  assert.ok(
    !menuFor(run('completed', { checkpoint: true, eval: true })).includes('lookInsideRnn'),
    'a dense model',
  );
  assert.ok(!menuFor(run('completed', { conv: true, checkpoint: true })).includes('lookInsideRnn'), 'a CNN');
  assert.ok(!menuFor(run('completed', { recurrent: 'gru' })).includes('lookInsideCnn'));
});

test('the context value names the status first and only the facts that hold', () => {
  assert.equal(run('running'), 'run.running');
  assert.equal(
    run('completed', {
      eval: true,
      attention: true,
      conv: true,
      recurrent: 'lstm',
      checkpoint: true,
      model: true,
    }),
    'run.completed;eval;attention;conv;recurrent;checkpoint;model',
  );
});
