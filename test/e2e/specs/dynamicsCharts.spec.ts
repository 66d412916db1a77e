import { strict as assert } from 'node:assert';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { runCommand, screenshot, webviewFrame } from '../helpers/browser';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { waitForAttribute } from '../helpers/waitFor';
import { listRuns } from '../../../src/runs/runReader';
import { modelLab } from '../../fixtures/modelLabCli';

const template = resolve(__dirname, '../../../templates/mlp-wine');
const CHARTS = ['global-norm', 'grad-norms', 'update-ratios', 'weights', 'grads'];

describe('Training dynamics in the metrics panel', () => {
  const experiment = 'wine-dynamics';
  let runDir: string;
  let page: Page;

  before(() => {
    // A real run of the wine template, recording dynamics every 5 of its 30 steps.
    const { workspace } = e2eSession();
    const folder = join(workspace, 'wine-dynamics');
    mkdirSync(folder, { recursive: true });
    copyFileSync(join(template, 'wine.csv'), join(folder, 'wine.csv'));
    const config = JSON.parse(readFileSync(join(template, 'wine-mlp.experiment.json'), 'utf8'));
    const file = join(folder, 'wine-dynamics.experiment.json');
    const training = { ...config.training, dynamics: { everySteps: 5 } };
    writeFileSync(file, JSON.stringify({ ...config, name: experiment, training }, null, 2));
    const runsDir = join(workspace, '.modellab', 'runs');
    const result = modelLab('train', file, '--runs-dir', runsDir, '--device', 'cpu', '--max-steps', '30');
    assert.equal(result.status, 0, result.stderr);
    runDir = listRuns(runsDir, experiment)[0].dir;
  });

  it('charts gradient norms, update ratios and distributions from dynamics.jsonl, live', async () => {
    page = await workbench();
    await runCommand(page, 'Model Lab: Open Metrics');
    await pickQuickItem(page, experiment);
    await panelWith(page, '#dynamics');
    const panel = webviewFrame(page);
    const section = panel.getByTestId('dynamics');
    await waitForAttribute(section, 'data-records', '6');
    for (const chart of CHARTS) {
      const points = Number(await section.locator(`[data-dynamics="${chart}"]`).getAttribute('data-points'));
      assert.ok(points > 0, `${chart} draws points`);
    }
    // Six records, two lines (min and max) in the outer band: the distribution draws every level.
    assert.equal(
      await section.locator('[data-dynamics="weights"]').getAttribute('data-points'),
      String(6 * 9),
    );
    assert.equal(await section.getAttribute('data-tensor'), 'layer0.dense.weight');

    // The trainer appends while the panel is open: the charts follow.
    const lines = readFileSync(join(runDir, 'dynamics.jsonl'), 'utf8').trim().split('\n');
    const next = { ...JSON.parse(lines.at(-1)!), step: 35 };
    appendFileSync(join(runDir, 'dynamics.jsonl'), JSON.stringify(next) + '\n');
    await waitForAttribute(section, 'data-records', '7');
  });

  it('shows the distributions of the tensor picked, in dark, light and high-contrast themes', async () => {
    const panel = webviewFrame(page);
    const section = panel.getByTestId('dynamics');
    await panel.locator('#dynamics-tensor').click();
    await panel
      .locator('#dynamics-tensor')
      .getByRole('option', { name: 'layer3.dense.weight', exact: true })
      .click();
    await waitForAttribute(section, 'data-tensor', 'layer3.dense.weight');
    const frame = await panelWith(page, '#dynamics');
    for (const [theme, name] of [
      ['Dark Modern', 'dark'],
      ['Light Modern', 'light'],
      ['Default High Contrast', 'high-contrast'],
    ] as const) {
      await setColorTheme(frame, theme);
      await section.locator('[data-dynamics="update-ratios"]').scrollIntoViewIfNeeded();
      await screenshot(page, `dynamics-ratios-${name}`);
      await section.locator('[data-dynamics="grads"]').scrollIntoViewIfNeeded();
      await screenshot(page, `dynamics-distributions-${name}`);
    }
    await setColorTheme(frame, 'Dark Modern');
  });
});
