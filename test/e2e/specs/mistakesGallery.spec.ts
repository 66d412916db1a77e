import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MAX_MISTAKES, type EvalReport, type Mistake } from '../../../src/contract/evalReport';
import { scoreClassification } from '../../../src/trainer/classification';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import { createRunFolder, writeEval } from '../helpers/runFolders';
import { e2eSession, workbench } from '../helpers/session';
import { waitForAttribute, waitForText } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');

/** Real 8×8 digits of the built-in data set, by digit (64 counts 0–16, then the label). */
function digitPictures(): Map<number, number[][]> {
  const rows = gunzipSync(readFileSync(join(repo, 'datasets', 'digits.csv.gz')))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number))
    .filter((cells) => cells.length === 65);
  const byDigit = new Map<number, number[][]>();
  for (const cells of rows) {
    const list = byDigit.get(cells[64]) ?? [];
    list.push(cells.slice(0, 64).map((v) => v / 16));
    byDigit.set(cells[64], list);
  }
  return byDigit;
}

/**
 * Mistakes consistent with the report's confusion matrix: one per off-diagonal count, each
 * drawn as a real digit of its true class, with confidences that fall by position; the most
 * confident MAX_MISTAKES kept, as eval.json keeps them.
 */
function addMistakes(runDir: string, report: EvalReport): Mistake[] {
  const pictures = digitPictures();
  const all: Mistake[] = [];
  report.confusion!.forEach((row, actual) =>
    row.forEach((count, predicted) => {
      for (let k = 0; k < (actual === predicted ? 0 : count); k++) {
        const index = all.length;
        const confidence = Number((0.99 - ((index * 37) % 97) / 200).toFixed(4));
        const digit = pictures.get(actual)!;
        all.push({
          index,
          actual,
          predicted,
          confidence,
          actualProbability: Number(((1 - confidence) / 3).toFixed(4)),
          input: { kind: 'image', channels: 1, height: 8, width: 8, pixels: digit[k % digit.length] },
        });
      }
    }),
  );
  const kept = all.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, MAX_MISTAKES);
  writeFileSync(join(runDir, 'eval.json'), JSON.stringify({ ...report, mistakes: kept }));
  return kept;
}

describe('Mistakes gallery', () => {
  it('shows the wrong test digits most confident first, and a confusion cell filters them', async () => {
    const runId = '20261201-130000-mistakes';
    const runDir = createRunFolder(e2eSession().workspace, 'mistakes-fixture', runId, 'completed');
    const labels = Array.from({ length: 10 }, (_, i) => String(i));
    const report = writeEval(runDir, labels);
    const kept = addMistakes(runDir, report);
    const wrong = report.confusion!.reduce(
      (sum, row, t) => sum + row.reduce((s, n, p) => s + (p === t ? 0 : n), 0),
      0,
    );
    assert.ok(wrong > MAX_MISTAKES, `more mistakes than are kept: ${wrong}`);

    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Evaluation');
    await pickQuickItem(page, runId);
    const view = await panelWith(page, '#gallery');
    await setColorTheme(view, 'Dark Modern');
    const gallery = view.locator('#gallery');
    await waitForAttribute(gallery, 'data-count', String(MAX_MISTAKES));
    await waitForText(
      view.locator('#mistakes .hint').first(),
      new RegExp(`${wrong} test examples are wrong; the ${MAX_MISTAKES}`),
    );
    // Most confident first: the first card is the kept mistake with the highest confidence.
    const first = gallery.locator('.mistake').first();
    assert.equal(await first.getAttribute('data-actual'), String(kept[0].actual));
    assert.equal(await first.getAttribute('data-predicted'), String(kept[0].predicted));
    await waitForText(
      first.locator('.predicted'),
      `predicted ${kept[0].predicted} (${Math.round(kept[0].confidence * 100)}%)`,
    );
    assert.equal(await first.locator('canvas').getAttribute('width'), '8');
    const size = await first.locator('canvas').boundingBox();
    assert.ok(size && size.width >= 70, `the 8×8 digit is drawn upscaled: ${size?.width}px`);

    // Macro and weighted averages under the per-class table.
    await waitForText(view.locator('#average-macro th'), 'macro avg');
    await waitForText(view.locator('#average-weighted td').last(), String(report.count));
    await screenshot(page, 'mistakes-gallery-dark');

    // Click the cell true 3 → predicted 4: only those mistakes remain.
    const cell = view.locator('#confusion .cell[data-actual="3"][data-predicted="4"]');
    const expected = kept.filter((m) => m.actual === 3 && m.predicted === 4).length;
    assert.ok(expected > 0, 'the fixture keeps some 3 → 4 mistakes');
    await cell.click();
    await waitForAttribute(gallery, 'data-count', String(expected));
    await waitForText(view.locator('#mistakes-filter'), `${expected} shown: true 3 → predicted 4`);
    assert.equal(await cell.getAttribute('aria-pressed'), 'true');
    for (const card of await gallery.locator('.mistake').all()) {
      assert.equal(await card.getAttribute('data-actual'), '3');
      assert.equal(await card.getAttribute('data-predicted'), '4');
    }
    await screenshot(page, 'mistakes-gallery-filtered-dark');
    // A column header filters by the prediction alone; Show all clears.
    await view.locator('#confusion [role="columnheader"][data-predicted="4"]').click();
    await waitForAttribute(gallery, 'data-count', String(kept.filter((m) => m.predicted === 4).length));
    await view.locator('#clear-filter').click();
    await waitForAttribute(gallery, 'data-count', String(MAX_MISTAKES));

    // Normalised: each row's cells read as shares of its true class.
    await view.locator('#normalise').click();
    const rowTotal = report.confusion![3].reduce((a, b) => a + b, 0);
    await waitForText(cell, `${((report.confusion![3][4] / rowTotal) * 100).toFixed(0)}%`);
    await setColorTheme(view, 'Light Modern');
    await screenshot(page, 'mistakes-gallery-light');
    await setColorTheme(view, 'Default High Contrast');
    await screenshot(page, 'mistakes-gallery-high-contrast');
    await setColorTheme(view, 'Dark Modern');
  });
  it('a model of five classes scored on data of two: the table and the matrix show the classes counted', async () => {
    // An imported classifier keeps its five classes; the test rows are of classes 0 and 2, and
    // the model also predicted 3 once. Classes 1 and 4 (no example, never predicted) are left
    // out of the table, the averages and the matrix, as scikit-learn's labels=None leaves them.
    const runId = '20261201-140000-subset';
    const runDir = createRunFolder(e2eSession().workspace, 'subset-fixture', runId, 'completed');
    const actual = [0, 0, 0, 0, 2, 2, 2];
    const predicted = [0, 0, 0, 3, 2, 2, 0];
    const { classes, confusion, accuracy } = scoreClassification(predicted, actual, [
      '0',
      '1',
      '2',
      '3',
      '4',
    ]);
    const report: EvalReport = {
      split: 'test',
      count: actual.length,
      loss: 0.4,
      accuracy,
      classes,
      confusion,
    };
    const pixels = digitPictures();
    const mistakes: Mistake[] = actual.flatMap((truth, index) =>
      truth === predicted[index]
        ? []
        : [
            {
              index,
              actual: truth,
              predicted: predicted[index],
              confidence: 0.8,
              actualProbability: 0.1,
              input: { kind: 'image', channels: 1, height: 8, width: 8, pixels: pixels.get(truth)![0] },
            },
          ],
    );
    writeFileSync(join(runDir, 'eval.json'), JSON.stringify({ ...report, mistakes }));

    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Evaluation');
    await pickQuickItem(page, runId);
    const view = await panelWith(page, '#confusion');
    assert.deepEqual(await view.locator('#classes tbody th').allTextContents(), ['0', '2', '3']);
    assert.deepEqual(
      await view.locator('#confusion [role="columnheader"][data-predicted]').allTextContents(),
      ['0', '2', '3'],
    );
    assert.equal(await view.locator('#confusion .cell').count(), 9);
    // Macro F1 over 0, 2 and 3: (3/4 + 4/5 + 0) / 3 (class 0: 3 of 4 right, 4 predicted; class
    // 2: 2 of 3 right, 2 predicted; class 3: predicted once, wrongly).
    await waitForText(view.locator('#average-macro td').nth(2), '51.7%');
    // A cell still filters the mistakes by the model's own class ids.
    await view.locator('#confusion .cell[data-actual="0"][data-predicted="3"]').click();
    await waitForAttribute(view.locator('#gallery'), 'data-count', '1');
    await screenshot(page, 'evaluation-classes-counted');
  });
});
