import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, pickQuickItem } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { assertOutlasts } from '../helpers/stepPace';
import { stopRunsStillTraining } from '../helpers/stopRuns';
import { waitForText, waitUntil } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');
const name = 'wine-reload';
/** 100,000 epochs of the wine MLP's 7 steps: it trains until the test stops it. */
const epochs = 100_000;

interface RunJson {
  status: string;
  pid: number;
  step: number;
}

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined; // mid-rename
  }
};

const lossSteps = (runDir: string): number[] =>
  readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as { step: number; split: string; name: string })
    .filter((record) => record.split === 'train' && record.name === 'loss')
    .map((record) => record.step);

describe('A run survives a window reload', () => {
  after(async () => stopRunsStillTraining(await workbench(), e2eSession().workspace));

  it('Developer: Reload Window mid-run: the same process keeps training, the window attaches again (status bar, panel, Stop), no step is missing', async function () {
    this.timeout(300_000);
    assertOutlasts(epochs * 7, this.timeout());
    const { workspace } = e2eSession();
    const folder = join(workspace, 'reload');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(repo, 'templates/mlp-wine/wine.csv'), join(folder, 'wine.csv'));
    const template = JSON.parse(
      readFileSync(join(repo, 'templates/mlp-wine/wine-mlp.experiment.json'), 'utf8'),
    );
    writeFileSync(
      join(folder, `${name}.experiment.json`),
      JSON.stringify({ ...template, name, training: { ...template.training, epochs } }, null, 2),
    );
    const runsDir = join(workspace, '.modellab', 'runs', name);

    const page = await workbench();
    await runCommand(page, 'Model Lab: Train');
    await pickQuickItem(page, `${name}.experiment.json`);
    const status = page.locator('.statusbar-item', { hasText: `${name} ·` }).first();
    await waitForText(status, new RegExp(`${name} · epoch \\d+/${epochs} · step \\d+`), 90_000);
    const runDir = join(runsDir, readdirSync(runsDir)[0]);
    const before = readJson<RunJson>(join(runDir, 'run.json'))!;
    await panelWith(page, '#charts');

    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    // After the reload: the status bar is back and moving, fed by the process that never stopped.
    const shownText = await waitForText(
      status,
      new RegExp(`${name} · epoch \\d+/${epochs} · step \\d+`),
      90_000,
    );
    const stepAfterReload = /step (\d+)\//.exec(shownText)![1];
    await waitForText(status, new RegExp(`step (?!${stepAfterReload}/)\\d+/`), 60_000);
    const during = readJson<RunJson>(join(runDir, 'run.json'))!;
    assert.equal(during.status, 'running');
    assert.equal(during.pid, before.pid, 'the same training process trains on');
    assert.equal(readdirSync(runsDir).length, 1, 'no new run');

    // The metrics panel comes back with the window and follows the run.
    const metrics = await panelWith(page, '#charts');
    const points = async () => Number((await metrics.locator('body').getAttribute('data-points')) ?? 0);
    const firstPoints = await points();
    const deadline = Date.now() + 60_000;
    while ((await points()) <= firstPoints && Date.now() < deadline) await page.waitForTimeout(250);
    assert.ok((await points()) > firstPoints, 'the restored panel follows the run live');
    await screenshot(page, 'reload-window-attached');

    await runCommand(page, 'Model Lab: Stop Training');
    const stopped = await waitUntil(
      'the run to stop',
      () => {
        const info = readJson<RunJson>(join(runDir, 'run.json'));
        return info?.status === 'stopped' ? info : undefined;
      },
      60_000,
    );
    const steps = lossSteps(runDir);
    assert.deepEqual(
      steps,
      Array.from({ length: stopped.step }, (_, i) => i + 1),
      'every step is on disk',
    );
    const checkpoint = readJson<{ position: { step: number } }>(
      join(runDir, 'checkpoints', 'last', 'checkpoint.json'),
    );
    assert.equal(checkpoint?.position.step, stopped.step);
  });
});
