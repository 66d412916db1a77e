import { strict as assert } from 'node:assert';
import type { Frame, Page } from 'playwright-core';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import { createRunFolder, writeAttentionSnapshot } from '../helpers/runFolders';
import { e2eSession, workbench } from '../helpers/session';
import { waitForText } from '../helpers/waitFor';

const probe = 'To be, or not to be:\nthat is';

async function openAttention(page: Page, runId: string): Promise<Frame> {
  await runCommand(page, 'Model Lab: Open Attention');
  await pickQuickItem(page, runId);
  return panelWith(page, '#attention-grid');
}

describe('Attention panel', () => {
  it('shows every layer × head, follows new snapshots live, scrubs with the slider and explains hover cells', async () => {
    const runId = '20261129-023000-attn';
    const runDir = createRunFolder(e2eSession().workspace, 'shakespeare-fixture', runId, 'running', [
      { type: 'embedding', dim: 16, vocabSize: 40 },
      { type: 'transformer', heads: 4, causal: true },
      { type: 'transformer', heads: 4, causal: true },
    ]);
    for (const step of [10, 20, 30]) writeAttentionSnapshot(runDir, probe, step, 2, 4);
    const page = await workbench();
    const panel = await openAttention(page, runId);
    await panel.waitForSelector('#attention-grid[data-maps="8"]');
    assert.equal(await panel.locator('#attention-grid .thumb').count(), 8);
    await panel.waitForSelector('body[data-step="30"]');

    // Live: a new snapshot appears while "Follow latest" is on.
    writeAttentionSnapshot(runDir, probe, 40, 2, 4);
    await panel.waitForSelector('body[data-step="40"]');
    await waitForText(panel.locator('#step-label'), '40 (4 of 4)');

    // Scrub back to the first snapshot.
    await panel.locator('#step-slider').fill('0');
    await panel.waitForSelector('body[data-step="10"]');

    // Enlarge layer 2, head 3; hover a cell on and one above the diagonal (token 2 is a space, 20 a newline).
    await panel.locator('.thumb[data-layer="1"][data-head="2"]').click();
    await waitForText(panel.locator('#detail-title'), 'Layer 2, head 3 — step 10');
    const pressed = panel.locator('.thumb[aria-pressed="true"]');
    assert.equal(await pressed.count(), 1, 'only the clicked thumbnail is outlined');
    assert.deepEqual(
      [await pressed.getAttribute('data-layer'), await pressed.getAttribute('data-head')],
      ['1', '2'],
    );
    const box = (await panel.locator('#detail').boundingBox())!;
    const cell = 20; // detailLayout: 560 px / 28 tokens
    const margin = 34;
    await panel
      .locator('#detail')
      .hover({ position: { x: margin + 2 * cell + 5, y: margin + 2 * cell + 5 } });
    await waitForText(panel.locator('#attention-tooltip'), /^query 2 “␣” → key 2 “␣”: 0\.\d{4}$/);
    await panel
      .locator('#detail')
      .hover({ position: { x: margin + 20 * cell + 5, y: margin + 2 * cell + 5 } });
    await waitForText(panel.locator('#attention-tooltip'), /^query 2 “␣” → key 20 “↵”: masked$/);
    assert.ok(box.width >= margin + 28 * cell);
    // Keyboard: the arrow keys walk a cell cursor from the top-left cell.
    await panel.locator('#detail').focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowRight']) await panel.locator('#detail').press(key);
    await waitForText(panel.locator('#attention-tooltip'), /^query 2 “␣” → key 1 “o”: 0\.\d{4}$/);
    await setColorTheme(panel, 'Dark Modern');
    await screenshot(page, 'attention-dark');
    await setColorTheme(panel, 'Light Modern');
    await screenshot(page, 'attention-light');
    await setColorTheme(panel, 'Dark Modern');
  });

  it('says so for a run whose model has no attention layers', async () => {
    const runId = '20261129-023100-mlp';
    createRunFolder(e2eSession().workspace, 'mlp-fixture', runId, 'completed');
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Attention');
    await pickQuickItem(page, runId);
    const panel = await panelWith(page, '#attention-message:not([hidden])');
    await waitForText(panel.locator('#attention-message'), /no attention or transformer layers/);
  });
});
