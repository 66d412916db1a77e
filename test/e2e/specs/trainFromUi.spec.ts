import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { screenshot } from '../helpers/browser';
import { pickQuickItem } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { waitForText } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');

describe('Training from the UI', () => {
  it('the CNN template trains from its Train CodeLens: status bar progress, then a completed run in the Runs view', async function () {
    this.timeout(240_000);
    const { workspace } = e2eSession();
    // The CNN template with a short schedule (3 epochs instead of 25).
    const template = JSON.parse(
      readFileSync(join(repo, 'templates/cnn-digits/digits-cnn.experiment.json'), 'utf8'),
    );
    const experiment = { ...template, name: 'digits-cnn-ui', training: { ...template.training, epochs: 3 } };
    writeFileSync(join(workspace, 'digits-cnn-ui.experiment.json'), JSON.stringify(experiment, null, 2));

    const page = await workbench();
    await page.keyboard.press('Control+P');
    // Quick Open may replace its input just after it opens: pickQuickItem types again until the file shows.
    await pickQuickItem(page, 'digits-cnn-ui.experiment.json');
    const train = page.locator('.codelens-decoration a', { hasText: 'Train' }).first();
    await train.waitFor({ timeout: 30_000 });
    await train.click();

    const status = page.locator('.statusbar-item', { hasText: 'digits-cnn-ui ·' }).first();
    const progress = await waitForText(
      status,
      /digits-cnn-ui · epoch \d\/3 · step \d+\/\d+ · (loss [\d.]+ · )?cpu/,
      60_000,
    );
    assert.match(progress, /step \d+\//);
    await screenshot(page, 'train-from-ui-running');

    await page.locator('.codelens-decoration a', { hasText: 'Open Runs' }).first().click();
    const row = page.locator('.monaco-list-row', { hasText: 'completed · test acc' }).first();
    await waitForText(
      row.locator('.label-description'),
      /^completed · test acc [\d.]+ · val acc [\d.]+ · 126 steps$/,
      120_000,
    );
    await screenshot(page, 'train-from-ui-runs-view');

    const runsDir = join(workspace, '.modellab', 'runs', 'digits-cnn-ui');
    const [runId] = readdirSync(runsDir);
    const info = JSON.parse(readFileSync(join(runsDir, runId, 'run.json'), 'utf8'));
    assert.equal(info.status, 'completed');
    assert.equal(info.config.training.epochs, 3);
  });
});
