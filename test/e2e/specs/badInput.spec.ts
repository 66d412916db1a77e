import { strict as assert } from 'node:assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { twoFeatureCsv, twoFeatureExperiment } from '../../fixtures/experimentParts';
import { screenshot } from '../helpers/browser';
import { openFromExplorer } from '../helpers/explorer';
import { e2eSession, workbench } from '../helpers/session';
import { waitForText } from '../helpers/waitFor';

describe('Bad input from the UI', () => {
  const name = 'one-class-ui';
  before(() => {
    // Written before the first file search of this spec: Quick Open caches the file list.
    const { workspace } = e2eSession();
    writeFileSync(
      join(workspace, `${name}.csv`),
      twoFeatureCsv(() => 'even'),
    );
    const experiment = twoFeatureExperiment(name, [{ type: 'dense', units: 2 }]);
    writeFileSync(join(workspace, `${name}.experiment.json`), JSON.stringify(experiment, null, 2));
  });

  it('Train on data with one class shows a notification naming the data file and row, and leaves no run', async () => {
    const page = await workbench();
    await openFromExplorer(page, `${name}.experiment.json`);
    const train = page.locator('.codelens-decoration a', { hasText: 'Train' }).first();
    await train.waitFor({ timeout: 30_000 });
    await train.click();
    const toast = page.locator('.notifications-toasts .notification-toast', {
      hasText: `Cannot train ${name}`,
    });
    const text = await waitForText(toast, /holds only one class/, 60_000);
    await screenshot(page, 'bad-input-one-class');
    const { workspace } = e2eSession();
    assert.match(text, new RegExp(`Cannot train ${name}\\.experiment\\.json:`));
    assert.match(
      text,
      new RegExp(`${name}\\.csv:1: target column "label" holds only one class \\("even"\\)`),
    );
    assert.doesNotMatch(text, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(join(workspace, '.modellab', 'runs', name)), false, 'no run folder');
  });
});
