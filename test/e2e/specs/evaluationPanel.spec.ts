import { strict as assert } from 'node:assert';
import { runCommand, screenshot } from '../helpers/browser';
import { panelWith, pickQuickItem, setColorTheme } from '../helpers/panels';
import { createRunFolder, writeRegressionEval } from '../helpers/runFolders';
import { e2eSession, workbench } from '../helpers/session';
import { waitForAttribute, waitForText } from '../helpers/waitFor';
import { formatValue, pairLabel } from '../../../webview/evaluation/scatterData';

describe('Regression evaluation view', () => {
  const runId = '20261129-050000-waves';

  it('shows RMSE, R² and MAE in the data units and a predicted-vs-actual scatter of the test sample', async () => {
    const runDir = createRunFolder(e2eSession().workspace, 'waves-fixture', runId, 'completed', [
      { type: 'lstm', units: 8 },
      { type: 'dense', units: 1 },
    ]);
    const report = writeRegressionEval(runDir, 240);
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Evaluation');
    await pickQuickItem(page, runId);
    const view = await panelWith(page, '#evaluation');
    await setColorTheme(view, 'Dark Modern');
    await waitForText(view.locator('#stat-rmse .value'), formatValue(report.rmse!));
    await waitForText(view.locator('#stat-r2 .value'), report.r2!.toFixed(4));
    await waitForText(view.locator('#stat-mae .value'), formatValue(report.mae!));
    assert.ok(report.r2! > 0.9, `the fixture is a good forecast, R² ${report.r2}`);
    await waitForText(view.locator('#units'), /target column's own units/);
    const scatter = view.locator('#scatter');
    assert.equal(await scatter.getAttribute('data-points'), '240');
    await scatter.locator('canvas').scrollIntoViewIfNeeded();
    const box = (await scatter.locator('canvas').boundingBox())!;
    assert.ok(box.width > 200 && box.height > 200, `the chart has room to draw: ${box.width}×${box.height}`);

    // Hover the worst prediction: its pair and error show (data-hover mirrors the canvas tooltip).
    const { actual, predicted } = report.predictions!;
    const worst = actual.reduce(
      (w, y, i) => (Math.abs(predicted[i] - y) > Math.abs(predicted[w] - actual[w]) ? i : w),
      0,
    );
    const [min, max] = (await scatter.getAttribute('data-range'))!.split(' ').map(Number);
    const [left, top, right, bottom] = (await scatter.getAttribute('data-plot'))!.split(' ').map(Number);
    const share = (value: number) => (value - min) / (max - min);
    await scatter.locator('canvas').hover({
      position: {
        x: left + share(actual[worst]) * (right - left),
        y: bottom - share(predicted[worst]) * (bottom - top),
      },
    });
    const pair = { x: actual[worst], y: predicted[worst] };
    await waitForAttribute(scatter, 'data-hover', pairLabel(pair, formatValue));
    await screenshot(page, 'evaluation-regression-dark');
    await setColorTheme(view, 'Light Modern');
    await view.waitForSelector('body.vscode-light');
    assert.equal(
      await view.locator('#scatter').getAttribute('data-points'),
      '240',
      'redrawn for the new theme',
    );
    await screenshot(page, 'evaluation-regression-light');
    await setColorTheme(view, 'Dark Modern');
  });
});
