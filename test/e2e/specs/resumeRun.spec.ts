import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, screenshot } from '../helpers/browser';
import { pickQuickItem } from '../helpers/panels';
import { createRunFolder, writeEval } from '../helpers/runFolders';
import { chooseFromContextMenu, contextMenuOf, runsViewRowOf } from '../helpers/runsView';
import { e2eSession, workbench } from '../helpers/session';
import { assertOutlasts } from '../helpers/stepPace';
import { stopRunsStillTraining } from '../helpers/stopRuns';
import { waitForText, waitUntil } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');
const name = 'wine-resume';
const savedRate = 0.005;
/** Epochs of the run the test stops and resumes: at least one step each. */
const longEpochs = 100_000;

interface RunJson {
  status: string;
  config: { training: { optimizer: { learningRate: number } } };
}

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // not written yet, or mid-rename
  }
};

describe('Resume and the Runs view menus', () => {
  let file = '';
  let runsDir = '';
  before(() => {
    const { workspace } = e2eSession();
    // The wine MLP in its own folder; paced, it trains until stopped on any machine (assertOutlasts below).
    const folder = join(workspace, 'resume');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(repo, 'templates/mlp-wine/wine.csv'), join(folder, 'wine.csv'));
    const template = JSON.parse(
      readFileSync(join(repo, 'templates/mlp-wine/wine-mlp.experiment.json'), 'utf8'),
    );
    file = join(folder, `${name}.experiment.json`);
    writeFileSync(
      file,
      JSON.stringify({ ...template, name, training: { ...template.training, epochs: longEpochs } }, null, 2),
    );
    runsDir = join(workspace, '.modellab', 'runs', name);
  });
  // A failure while a run trains must not leave it in the next spec's status bar.
  after(async () => stopRunsStillTraining(await workbench(), e2eSession().workspace));

  it('a completed run offers Evaluation and no Resume; a model without attention offers no Attention', async function () {
    this.timeout(120_000);
    const runId = '20261201-120000-done';
    writeEval(createRunFolder(e2eSession().workspace, 'menu-fixture', runId, 'completed'), ['a', 'b', 'c']);
    const page = await workbench();
    const menu = await contextMenuOf(page, runId);
    await screenshot(page, 'runs-menu-completed');
    await page.keyboard.press('Escape');
    assert.ok(menu.includes('Open Evaluation'), menu.join(', '));
    assert.ok(!menu.includes('Resume Training'), menu.join(', '));
    assert.ok(!menu.includes('Open Attention'), menu.join(', '));
  });

  it("Resume after the file changed says what changed and trains with the run's saved config", async function () {
    this.timeout(300_000);
    assertOutlasts(longEpochs, this.timeout());
    const page = await workbench();
    await runCommand(page, 'Model Lab: Train');
    await pickQuickItem(page, `${name}.experiment.json`);
    const status = page.locator('.statusbar-item', { hasText: `${name} ·` }).first();
    await waitForText(status, new RegExp(`${name} · epoch \\d+/100000 · step \\d+`), 90_000);
    const [firstId] = readdirSync(runsDir);
    const firstDir = join(runsDir, firstId);
    await waitUntil(
      'a checkpoint',
      () => existsSync(join(firstDir, 'checkpoints', 'last', 'checkpoint.json')) || undefined,
      60_000,
    );
    await runCommand(page, 'Model Lab: Stop Training');
    await waitUntil(
      'the run to stop',
      () => (readJson<RunJson>(join(firstDir, 'run.json'))?.status === 'stopped' ? true : undefined),
      60_000,
    );

    // The file changes after the run: a ten times larger learning rate.
    const edited = JSON.parse(readFileSync(file, 'utf8'));
    edited.training.optimizer.learningRate = 0.05;
    writeFileSync(file, JSON.stringify(edited, null, 2));

    // A stopped run without eval.json: Resume, no Evaluation, no Attention (an MLP). The view shows the
    // status run.json says a moment later: its menu is read once the row says "stopped".
    await waitForText((await runsViewRowOf(page, firstId)).locator('.label-description'), /^stopped/);
    const menu = await contextMenuOf(page, firstId);
    await screenshot(page, 'runs-menu-stopped');
    assert.ok(menu.includes('Resume Training'), menu.join(', '));
    assert.ok(!menu.includes('Open Evaluation'), menu.join(', '));
    assert.ok(!menu.includes('Open Attention'), menu.join(', '));
    const notice = page
      .locator('.notification-toast', { hasText: `${name}.experiment.json changed since run ${firstId}` })
      .first();
    await chooseFromContextMenu(page, firstId, 'Resume Training', notice).catch(async (error: unknown) => {
      await screenshot(page, 'resume-no-notice');
      throw error;
    });
    await waitForText(
      notice.locator('.notification-list-item-message'),
      /training\.optimizer\.learningRate: 0\.005 → 0\.05/,
    );
    await screenshot(page, 'resume-file-changed');
    await notice.getByRole('button', { name: 'Resume with Saved Config' }).click();

    const resumedId = await waitUntil(
      'the resumed run folder',
      () => readdirSync(runsDir).find((id) => id !== firstId),
      60_000,
    );
    const resumedDir = join(runsDir, resumedId);
    const checkpointStep = readJson<{ position: { step: number } }>(
      join(firstDir, 'checkpoints', 'last', 'checkpoint.json'),
    )!.position.step;
    // Learning rates recorded after the resume point: the saved one, not the file's.
    const rates = await waitUntil(
      'learning rates after the resume point',
      () => {
        const lines = existsSync(join(resumedDir, 'metrics.jsonl'))
          ? readFileSync(join(resumedDir, 'metrics.jsonl'), 'utf8').split('\n')
          : [];
        const after = lines
          .filter((line) => line.endsWith('}'))
          .map((line) => JSON.parse(line) as { step: number; name: string; value: number })
          .filter((record) => record.name === 'lr' && record.step > checkpointStep);
        return after.length >= 2 ? after : undefined;
      },
      90_000,
    );
    assert.deepEqual([...new Set(rates.map((record) => record.value))], [savedRate]);
    const info = readJson<RunJson & { resumedFrom: string }>(join(resumedDir, 'run.json'))!;
    assert.equal(
      info.config.training.optimizer.learningRate,
      savedRate,
      'run.json records the config that trains',
    );
    assert.equal(info.resumedFrom, firstDir);
    await runCommand(page, 'Model Lab: Stop Training');
    await waitUntil(
      'the resumed run to stop',
      () => (readJson<RunJson>(join(resumedDir, 'run.json'))?.status === 'stopped' ? true : undefined),
      60_000,
    );
  });
});
