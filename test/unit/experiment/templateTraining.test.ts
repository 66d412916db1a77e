// Every template trains headless through the CLI on a shortened schedule (the
// full targets are checked by scripts/checkTemplateTargets.mjs); the MLP's and
// the CNN's full schedules are short enough to check their targets here.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import type { Experiment } from '../../../src/contract/experiment';
import { listRuns, readEvalReport, readMetrics } from '../../../src/runs/runReader';

const repo = resolve(__dirname, '../../..');
const cli = join(repo, 'src/cli/cli.ts');
const runsDir = mkdtempSync(join(tmpdir(), 'model-lab-templates-'));
after(() => rmSync(runsDir, { recursive: true, force: true }));

interface Template {
  id: string;
  experimentFile: string;
  target: { split: string; metric: string; atLeast?: number };
}
const { templates } = JSON.parse(readFileSync(join(repo, 'templates/manifest.json'), 'utf8')) as {
  templates: Template[];
};

/**
 * The template's experiment file; language models get a copy with 1 % validation
 * and test stretches, because evaluating 5 % of Tiny Shakespeare dwarfs 30 steps.
 */
function experimentFile(template: Template): string {
  const file = join(repo, 'templates', template.id, template.experimentFile);
  const experiment = JSON.parse(readFileSync(file, 'utf8')) as Experiment;
  if (experiment.task !== 'language-model') return file;
  experiment.data.splits = { train: 0.98, validation: 0.01, test: 0.01 };
  const copy = join(runsDir, template.experimentFile);
  writeFileSync(copy, JSON.stringify(experiment));
  return copy;
}

function train(template: Template, ...extra: string[]): string {
  const file = experimentFile(template);
  const args = ['--import', 'tsx', cli, 'train', file, '--runs-dir', runsDir, '--device', 'cpu', ...extra];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const name = (JSON.parse(readFileSync(file, 'utf8')) as { name: string }).name;
  return listRuns(runsDir, name).at(-1)!.dir;
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

for (const template of templates) {
  test(`template ${template.id}: 30 headless steps lower the training loss`, () => {
    const runDir = train(template, '--max-steps', '30');
    const losses = readMetrics(runDir)
      .filter((r) => r.split === 'train' && r.name === 'loss')
      .map((r) => r.value);
    assert.equal(losses.length, 30);
    assert.ok(
      mean(losses.slice(-5)) < mean(losses.slice(0, 5)),
      `losses: ${losses.map((l) => l.toFixed(3)).join(' ')}`,
    );
  });
}

for (const id of ['mlp-wine', 'cnn-digits']) {
  const template = templates.find((t) => t.id === id)!;
  const atLeast = template.target.atLeast!;
  test(`template ${id}: the full schedule meets its target of ≥ ${Math.round(atLeast * 100)} % test accuracy`, () => {
    assert.deepEqual([template.target.split, template.target.metric], ['test', 'accuracy']);
    const accuracy = readEvalReport(train(template))?.accuracy ?? 0;
    assert.ok(accuracy >= atLeast, `test accuracy ${accuracy}`);
  });
}
