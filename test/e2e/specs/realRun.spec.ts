import { strict as assert } from 'node:assert';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, screenshot } from '../helpers/browser';
import { openFromExplorer } from '../helpers/explorer';
import { panelWith, pickQuickItem } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';
import { assertOutlasts } from '../helpers/stepPace';
import { stopRunsStillTraining } from '../helpers/stopRuns';
import { waitForText } from '../helpers/waitFor';

const experimentFile = 'tiny-transformer.experiment.json';
/** The fixture's epochs × stepsPerEpoch. */
const fixtureSteps = 100 * 200;

describe('Panels on a real Transformer run', () => {
  after(async () => stopRunsStillTraining(await workbench(), e2eSession().workspace));

  it('trains a tiny Transformer: the metrics chart grows while it runs, attention covers every layer and head, a probe runs while it trains', async function () {
    this.timeout(240_000);
    // The test watches the run train, then stops it: the paced run must outlast the test on any machine.
    assertOutlasts(fixtureSteps, this.timeout());
    const { workspace } = e2eSession();
    copyFileSync(
      join(__dirname, '..', '..', 'fixtures', 'experiments', experimentFile),
      join(workspace, experimentFile),
    );
    const page = await workbench();
    await openFromExplorer(page, experimentFile);
    // The ▶ Train CodeLens above the experiment. It re-renders once diagnostics ran; a locator
    // click finds the lens again if it is replaced meanwhile, and the status bar below proves it ran.
    const train = page.locator('.codelens-decoration a', { hasText: 'Train' }).first();
    await train.click({ timeout: 30_000 });
    await waitForText(
      page.locator('.statusbar-item', { hasText: 'tiny-transformer ·' }).first(),
      /step \d+/,
      60_000,
    );

    // Train opens the metrics panel beside the editor; it tails the run folder as the host writes it.
    const metrics = await panelWith(page, '#charts');
    const points = async () => Number((await metrics.locator('body').getAttribute('data-points')) ?? 0);
    const deadline = Date.now() + 120_000;
    let first = 0;
    while ((first = await points()) === 0 && Date.now() < deadline) await page.waitForTimeout(250);
    assert.ok(first > 0, 'the chart shows the first records');
    let later = first;
    while ((later = await points()) <= first && Date.now() < deadline) await page.waitForTimeout(250);
    const statusWhileGrowing = await metrics.locator('#runs .badge').first().textContent();
    assert.ok(later > first, `the point count grows live (${first} → ${later})`);
    assert.equal(statusWhileGrowing, 'running', 'it grew while the run was in progress');
    await metrics.locator('.chart-card[data-family="loss"] canvas').waitFor();
    await screenshot(page, 'real-run-metrics');

    // Attention heatmaps of the probe: 2 layers × 2 heads, live.
    await runCommand(page, 'Model Lab: Open Attention');
    await pickQuickItem(page, 'tiny-transformer /');
    const attention = await panelWith(page, '#attention-grid');
    await attention.waitForSelector('#attention-grid[data-maps="4"]', { timeout: 120_000 });
    assert.equal(await attention.locator('#attention-grid .thumb').count(), 4);

    // Another probe text while the run trains: it enables at the first checkpoint and runs in a training process.
    await attention.waitForSelector('#probe-run:not([disabled])', { timeout: 120_000 });
    // Attention opened on top of the metrics panel in the run panels' group: the status bar says the run is live.
    await waitForText(page.locator('.statusbar-item', { hasText: 'tiny-transformer ·' }).first(), /step \d+/);
    await attention.locator('#probe-text input').fill('What light');
    await attention.locator('#probe-run').click();
    await waitForText(attention.locator('#detail-title'), /— probe “What light”$/, 120_000);
    // It says which weights answered: the best checkpoint, or the last while no validation has run yet.
    await waitForText(
      attention.locator('#shown'),
      /^Showing “What light” run on the (best|last) checkpoint \(step \d+\)\.$/,
    );
    assert.equal(await attention.locator('#attention-grid .thumb').count(), 4);
    await screenshot(page, 'real-run-probe');

    // Paced steps keep the run training whatever the machine's speed (assertOutlasts above): stop it.
    await runCommand(page, 'Model Lab: Stop Training');
    // Attention covers the metrics panel in the run panels' group: the run folder says it stopped.
    const runsDir = join(workspace, '.modellab', 'runs', 'tiny-transformer');
    const statuses = () =>
      readdirSync(runsDir).map(
        (id) => JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')).status,
      );
    const stopDeadline = Date.now() + 60_000;
    while (!statuses().includes('stopped') && Date.now() < stopDeadline) await page.waitForTimeout(250);
    assert.deepEqual(statuses(), ['stopped']);
    // The probe left the slider; Follow latest goes back to the newest snapshot.
    await attention.locator('#follow').click();
    await waitForText(attention.locator('#step-label'), /^\d+ \((\d+) of \1\)$/, 30_000);
    await attention.locator('#step-slider').fill('0');
    await attention.waitForSelector('body[data-step="50"]');
    // Scrubbing away from the probe says which training snapshot is shown now.
    await waitForText(
      attention.locator('#shown'),
      /^Showing the snapshot taken at step 50 while training \(1 of \d+\)\.$/,
    );
    await screenshot(page, 'real-run-attention');
  });
});
