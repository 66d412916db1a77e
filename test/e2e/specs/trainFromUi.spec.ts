import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { quickTraining } from '../../fixtures/experimentParts';
import { runCommand, screenshot } from '../helpers/browser';
import { openFromExplorer } from '../helpers/explorer';
import { scrollToRow } from '../helpers/lists';
import { panelWith, pickQuickItem, waitForPoints } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { assertOutlasts } from '../helpers/stepPace';
import { stopRunsStillTraining } from '../helpers/stopRuns';
import { waitForText, waitUntil } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');

/** The CNN template under another name and number of epochs, written into the workspace. */
function writeCnnExperiment(name: string, epochs: number): string {
  const { workspace } = e2eSession();
  const template = JSON.parse(
    readFileSync(join(repo, 'templates/cnn-digits/digits-cnn.experiment.json'), 'utf8'),
  );
  const experiment = {
    ...template,
    name,
    training: { ...template.training, epochs, earlyStopping: undefined },
  };
  writeFileSync(join(workspace, `${name}.experiment.json`), JSON.stringify(experiment, null, 2));
  return join(workspace, '.modellab', 'runs', name);
}

async function clickTrainCodeLens(page: Page, file: string): Promise<void> {
  await openFromExplorer(page, file);
  const train = page.locator('.codelens-decoration a', { hasText: 'Train' }).first();
  await train.waitFor({ timeout: 30_000 });
  await train.click();
}

function onlyRun(runsDir: string): { dir: string; info: Record<string, unknown> } {
  const [runId] = readdirSync(runsDir);
  const dir = join(runsDir, runId);
  return { dir, info: JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) };
}

async function runsViewRow(page: Page, description: RegExp, timeoutMs: number): Promise<string> {
  await runCommand(page, 'Model Lab: Focus on Runs View');
  const row = page.locator('.monaco-list-row .label-description', { hasText: description }).first();
  const list = page.locator('.part.sidebar .monaco-list .monaco-scrollable-element').first();
  await scrollToRow(page, list, row, timeoutMs);
  return waitForText(row, description, timeoutMs);
}

/** The CNN template's steps per epoch on the digits data (the short run's 3 epochs are 126 steps). */
const cnnStepsPerEpoch = 42;
/** Epochs of the runs the tests stop: paced, they outlast any of these tests on any machine. */
const longEpochs = 2000;

/**
 * An experiment over a folder of `perClass` 200×200 PNGs in each of two classes, written into the
 * workspace: enough images that reading them lasts a few seconds.
 */
function writeImageExperiment(name: string, perClass: number): string {
  const { workspace } = e2eSession();
  for (const [k, label] of ['stripes', 'checks'].entries()) {
    mkdirSync(join(workspace, name, label), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const image = new PNG({ width: 200, height: 200 });
      for (let p = 0; p < 200 * 200; p++) {
        const [x, y] = [p % 200, Math.floor(p / 200)];
        const on = k === 0 ? (y + i) % 8 < 4 : ((x >> 3) + (y >> 3) + i) % 2 === 0;
        image.data.set(on ? [230, 200, 40, 255] : [20, 30, 90, 255], p * 4);
      }
      // Half photos, half drawings: both decoders run in the installed extension's reader threads.
      if (i % 2 === 0) writeFileSync(join(workspace, name, label, `${i}.png`), PNG.sync.write(image));
      else writeFileSync(join(workspace, name, label, `${i}.jpg`), jpeg.encode(image, 90).data);
    }
  }
  const experiment = {
    name,
    task: 'classification',
    data: { source: name, splits: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 1 },
    model: {
      input: { shape: [3, 32, 32] },
      layers: [
        { type: 'conv2d', filters: 4, kernel: 3, activation: 'relu' },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
    },
    training: quickTraining({ batchSize: 32 }),
  };
  writeFileSync(join(workspace, `${name}.experiment.json`), JSON.stringify(experiment, null, 2));
  return join(workspace, '.modellab', 'runs', name);
}

describe('Training from the UI', () => {
  // All files exist before the first Quick Open: it caches the workspace's file list.
  let shortRuns = '';
  let longRuns = '';
  let restartRuns = '';
  let imageRuns = '';
  before(() => {
    shortRuns = writeCnnExperiment('digits-cnn-ui', 3);
    longRuns = writeCnnExperiment('digits-cnn-cancel', longEpochs);
    restartRuns = writeCnnExperiment('digits-cnn-restart', longEpochs);
    imageRuns = writeImageExperiment('photos-ui', 700);
  });
  // A test that fails mid-run must not leave its run in the status bar of the next one.
  afterEach(async () => stopRunsStillTraining(await workbench(), e2eSession().workspace));

  it('Model Lab: Train from the palette asks which experiment; the short CNN run completes into the Runs view', async function () {
    this.timeout(240_000);
    const runsDir = shortRuns;
    const page = await workbench();
    // No experiment is open, so Train offers the workspace's experiment files.
    await runCommand(page, 'Model Lab: Train');
    await pickQuickItem(page, 'digits-cnn-ui.experiment.json');

    await runsViewRow(page, /^completed · test acc [\d.]+ · val acc [\d.]+ · 126 steps$/, 120_000);
    await screenshot(page, 'train-from-ui-runs-view');
    const { dir, info } = onlyRun(runsDir);
    assert.equal(info.status, 'completed');
    assert.equal((info.config as { training: { epochs: number } }).training.epochs, 3);
    assert.ok(existsSync(join(dir, 'model.onnx')));
    // The notification that ends the run says how good the model is, with the test accuracy of eval.json.
    const { accuracy } = JSON.parse(readFileSync(join(dir, 'eval.json'), 'utf8')) as { accuracy: number };
    await runCommand(page, 'Notifications: Show Notifications');
    const said = await waitForText(
      page.locator('.notifications-center .notification-list-item-message', {
        hasText: 'digits-cnn-ui finished',
      }),
      /^digits-cnn-ui finished: test accuracy [\d.]+ % \(best at step \d+\)$/,
    );
    assert.equal(said.match(/accuracy ([\d.]+) %/)![1], (accuracy * 100).toFixed(1));
    const bestStep = Number(said.match(/best at step (\d+)/)![1]);
    assert.ok(bestStep > 0 && bestStep <= 126, said);
    await screenshot(page, 'train-from-ui-result-notification');
    await runCommand(page, 'Notifications: Hide Notifications');
  });

  it('Train CodeLens starts a run: status bar shows epoch, step, loss and device; Cancel in the notification stops it', async function () {
    this.timeout(240_000);
    assertOutlasts(longEpochs * cnnStepsPerEpoch, this.timeout());
    const runsDir = longRuns;
    const page = await workbench();
    await clickTrainCodeLens(page, 'digits-cnn-cancel.experiment.json');

    const status = page.locator('.statusbar-item', { hasText: 'digits-cnn-cancel ·' }).first();
    await waitForText(
      status,
      /digits-cnn-cancel · epoch \d+\/2000 · step \d+\/\d+ · loss [\d.]+(?: · ETA [^·]+)? · cpu/,
      60_000,
    );
    const notification = page
      .locator('.notification-toast', { hasText: 'Training digits-cnn-cancel' })
      .first();
    await notification.waitFor({ timeout: 30_000 });
    await waitForText(
      notification.locator('.notification-list-item-message'),
      /^Training digits-cnn-cancel: epoch \d+\/2000 · step \d+\/\d+ · loss [\d.]+(?: · ETA [^·]+)? · cpu$/,
    );
    // The metrics panel Train opened charts the run while it trains, at full speed on every core.
    const charted = await waitForPoints(page, 1, 60_000);
    await waitForPoints(page, charted + 1, 60_000);
    assert.match((await status.textContent()) ?? '', /digits-cnn-cancel · epoch/, 'still training');
    // The metrics panel's header shows the status bar's ETA: the same figure, from the same progress.
    const metrics = await panelWith(page, '#runs .run[data-run*="digits-cnn-cancel"]');
    const eta = await waitUntil(
      'the metrics panel to show the status bar’s ETA',
      async () => {
        const shown = ((await metrics.locator('#runs .run-eta').first().textContent()) ?? '').trim();
        const bar = /ETA [^·]+?(?= · )/.exec((await status.textContent()) ?? '')?.[0];
        return /^ETA \d/.test(shown) && shown === bar ? shown : undefined;
      },
      60_000,
    );
    assert.match(eta, /^ETA (\d+s|\d+m \d\ds|\d+h \d\dm)$/);
    await screenshot(page, 'train-from-ui-running');
    await notification.getByRole('button', { name: 'Cancel' }).click();

    const stopped = await runsViewRow(page, /^stopped · /, 60_000);
    assert.match(stopped, /\d+ steps$/);
    await screenshot(page, 'train-from-ui-cancelled');
    const { dir, info } = onlyRun(runsDir);
    assert.equal(info.status, 'stopped');
    assert.ok((info.step as number) < longEpochs * cnnStepsPerEpoch, 'stopped long before the last step');
    assert.ok(
      existsSync(join(dir, 'checkpoints', 'last', 'checkpoint.json')),
      'the stopped run kept a checkpoint',
    );
    const losses = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"name":"loss"') && line.includes('"split":"train"'));
    assert.ok(losses.length > 0, 'metrics received before the stop are on disk');
  });

  it('Train on a folder of 1400 images: the notification counts the images read before the steps begin', async function () {
    this.timeout(240_000);
    const page = await workbench();
    await runCommand(page, 'Model Lab: Train');
    await pickQuickItem(page, 'photos-ui.experiment.json');
    const toast = page.locator('.notification-toast', { hasText: 'Training photos-ui' }).first();
    const message = toast.locator('.notification-list-item-message');
    const reading = await waitForText(message, /reading images (\d+)\/1400/, 60_000);
    await screenshot(page, 'train-from-ui-reading-images');
    const done = Number(/reading images (\d+)\/1400/.exec(reading)![1]);
    assert.ok(done < 1400, reading);
    // Once training starts the steps replace the count; the run completes.
    await runsViewRow(page, /^completed · test acc [\d.]+ · val acc [\d.]+ · 35 steps$/, 180_000);
    const { dir } = onlyRun(imageRuns);
    const log = readFileSync(join(dir, 'log.txt'), 'utf8');
    const [began, ended, started] = [
      'Reading the 1400 images of the data…',
      'Read the 1400 images.',
      'Training on',
    ].map((text) => log.indexOf(text));
    assert.ok(began >= 0 && began < ended && ended < started, log);
  });

  it('Train on an experiment that is training offers to stop that run and train again', async function () {
    this.timeout(240_000);
    assertOutlasts(longEpochs * cnnStepsPerEpoch, this.timeout());
    const page = await workbench();
    await clickTrainCodeLens(page, 'digits-cnn-restart.experiment.json');
    const status = page.locator('.statusbar-item', { hasText: 'digits-cnn-restart ·' }).first();
    await waitForText(status, /digits-cnn-restart · epoch \d+\/2000/, 60_000);

    await clickTrainCodeLens(page, 'digits-cnn-restart.experiment.json');
    const busy = page.locator('.notification-toast', { hasText: '"digits-cnn-restart" is already training' });
    await busy.waitFor({ timeout: 30_000 });
    await screenshot(page, 'train-from-ui-busy');
    await busy.getByRole('button', { name: 'Stop and Train Again' }).click();

    const statusOf = (runId: string) =>
      JSON.parse(readFileSync(join(restartRuns, runId, 'run.json'), 'utf8')).status as string;
    const deadline = Date.now() + 60_000;
    let runIds: string[] = [];
    while ((runIds = readdirSync(restartRuns).sort()).length < 2 && Date.now() < deadline) {
      await page.waitForTimeout(250);
    }
    assert.equal(runIds.length, 2, 'a second run folder after the first run stopped');
    const [first, second] = runIds;
    assert.equal(statusOf(first), 'stopped', 'the first run was stopped, keeping its files');
    assert.ok(existsSync(join(restartRuns, first, 'checkpoints', 'last', 'checkpoint.json')));
    await waitForText(status, /digits-cnn-restart · epoch \d+\/2000/, 60_000);
    assert.equal(statusOf(second), 'running');

    await runCommand(page, 'Model Lab: Stop Training');
    while (statusOf(second) === 'running' && Date.now() < deadline + 60_000) await page.waitForTimeout(250);
    assert.equal(statusOf(second), 'stopped');
  });
});
