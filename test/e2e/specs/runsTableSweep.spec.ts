/**
 * A sweep started from the palette fills the runs table while it runs: its trials appear queued,
 * train one at a time and complete; the learning rate they differ in is a column; sorting by
 * validation accuracy ranks them; the top two open in the compare panel, one colour each, their
 * single test points drawn as markers.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import type { Experiment } from '../../../src/contract/experiment';
import { listRuns } from '../../../src/runs/runReader';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, pickQuickItem, seriesColoursByRun, sortTableBy } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { waitForAttribute, waitForText, waitUntil } from '../helpers/waitFor';

/** The spec's own experiment, so runs other specs leave in the workspace do not count. */
const EXPERIMENT = 'sweep-spec';
/** Far enough apart that 12 epochs end at three different validation accuracies, so the sort shows. */
const RATES = [0.0001, 0.0003, 0.01];
const template = join(__dirname, '..', '..', '..', 'templates', 'mlp-wine');

/** The wine template with a three-trial grid over the learning rate, one trial at a time. */
function writeSweepExperiment(workspace: string): void {
  const folder = join(workspace, EXPERIMENT);
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(template, 'wine.csv'), join(folder, 'wine.csv'));
  const experiment = JSON.parse(
    readFileSync(join(template, 'wine-mlp.experiment.json'), 'utf8'),
  ) as Experiment;
  experiment.name = EXPERIMENT;
  // 12 epochs of 8 paced steps: each trial trains for seconds, so the later ones are seen queued.
  experiment.training.epochs = 12;
  delete experiment.training.dynamics;
  const sweep = {
    method: 'grid',
    parameters: { 'training.optimizer.learningRate': RATES },
    parallel: 1,
    metric: 'accuracy',
  };
  writeFileSync(
    join(folder, `${EXPERIMENT}.experiment.json`),
    JSON.stringify({ ...experiment, sweep }, null, 2),
  );
}

/** How many shown rows have `status` (the cell's class carries the English word in every language). */
const withStatus = (table: Frame, status: string): Promise<number> =>
  table.locator(`[data-testid="run-row"] td.status-${status}`).count();

describe('Runs table: a sweep from the palette', () => {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(await workbench(), `failed-${this.currentTest.title.slice(0, 40)}`);
  });

  it('fills live as the trials queue, train and complete; ranks them by accuracy; compares the top two', async function () {
    this.timeout(300_000);
    const { workspace } = e2eSession();
    writeSweepExperiment(workspace);
    const page = await workbench();
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Model Lab: Open Runs Table');
    const table = await panelWith(page, '[data-testid="runs-table"]');
    await table.locator('[data-testid="runs-query"] input').fill(EXPERIMENT);
    await waitForText(table.getByTestId('runs-count'), /^0 of \d+ runs?$/);

    await runCommand(page, 'Model Lab: Run Sweep');
    await pickQuickItem(page, `${EXPERIMENT}.experiment.json`);

    // Every trial's folder is written before the first trains: three rows, the later ones queued.
    await waitForText(table.getByTestId('runs-count'), /^3 of \d+ runs$/, 60_000);
    await waitUntil('a trial training while another waits queued', async () =>
      (await withStatus(table, 'running')) === 1 && (await withStatus(table, 'queued')) >= 1
        ? true
        : undefined,
    );
    await screenshot(page, 'runs-table-sweep-live');
    await waitUntil(
      'the three trials to complete in the table',
      async () => ((await withStatus(table, 'completed')) === 3 ? true : undefined),
      240_000,
    );
    await page
      .locator('.notifications-toasts', { hasText: `Sweep of ${EXPERIMENT} finished. Best: trial` })
      .waitFor({ timeout: 30_000 });

    // The setting the trials differ in is a column; what they share (the batch size) is not.
    assert.equal(
      await table.getByTestId('column-setting:training.optimizer.learningRate').textContent(),
      'learningRate',
    );
    assert.equal(await table.getByTestId('column-setting:training.batchSize').count(), 0);

    // Best validation accuracy first: the order of the trials' own run.json results.
    const trials = listRuns(join(workspace, '.modellab', 'runs'), EXPERIMENT);
    const accuracyOf = new Map(trials.map((run) => [run.id, run.info!.summary!['validation/accuracy']]));
    const rateOf = new Map(trials.map((run) => [run.id, run.info!.config.training.optimizer.learningRate]));
    const accuracy = table.getByTestId('column-final:validation/accuracy');
    await sortTableBy(accuracy, '▼');
    const ranked = await table.getByTestId('run-name').allTextContents();
    assert.deepEqual([...ranked].sort(), [...accuracyOf.keys()].sort());
    const scores = ranked.map((id) => accuracyOf.get(id)!);
    assert.equal(new Set(scores).size, 3, `three different accuracies to sort: ${scores.join(', ')}`);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      `rows by accuracy: ${ranked.join(', ')}`,
    );
    await screenshot(page, 'runs-table-sweep-ranked');
    await sortTableBy(accuracy, '▲');
    assert.deepEqual(await table.getByTestId('run-name').allTextContents(), [...ranked].reverse());
    await sortTableBy(accuracy, '▼');

    // The top two in the compare panel: named by their learning rate, one colour each.
    // Trial ids share a prefix (…-203637, …-203637-2): the checkbox is found by its exact label.
    for (const id of ranked.slice(0, 2))
      await table.getByRole('checkbox', { name: `Select ${id}`, exact: true }).check();
    await waitForText(table.getByTestId('selection-count'), '2 selected');
    await table.getByTestId('compare-selected').click();
    const compare = await panelWith(page, '#charts');
    await waitUntil('two runs in the compare panel', async () =>
      (await compare.locator('#runs .run').count()) === 2 ? true : undefined,
    );
    const shortNames = ranked.slice(0, 2).map((id) => `learningRate=${rateOf.get(id)}`);
    // The short names come once both runs' configs are read (the setting that differs needs both).
    const expectedNames = JSON.stringify([...shortNames].sort());
    let seenNames: string[] = [];
    await waitUntil(`short names ${expectedNames}`, async () => {
      seenNames = (await compare.locator('#runs .run-short').allTextContents()).sort();
      return JSON.stringify(seenNames) === expectedNames ? true : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; the compare panel names ${JSON.stringify(seenNames)}`);
    });
    // Live records are charted at most every 250 ms: the second run's series can come a redraw later.
    let byRun = new Map<string, Set<string>>();
    await waitUntil(`series of ${expectedNames} in the charts`, async () => {
      byRun = await seriesColoursByRun(compare);
      return JSON.stringify([...byRun.keys()].sort()) === expectedNames ? true : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; the charts show series of ${JSON.stringify([...byRun.keys()])}`);
    });
    const [first, second] = [...byRun.values()].map((set) => [...set]);
    assert.equal(first.length, 1);
    assert.equal(second.length, 1);
    assert.notEqual(first[0], second[0]);
    // Each trial's test scores are single points: drawn as markers (test accuracy and F1 of both
    // runs; test loss of both), not as invisible one-point lines.
    await waitForAttribute(compare.locator('.chart-card[data-family="accuracy"]'), 'data-markers', '4');
    await waitForAttribute(compare.locator('.chart-card[data-family="loss"]'), 'data-markers', '2');
    await screenshot(page, 'runs-table-sweep-compare');
  });
});
