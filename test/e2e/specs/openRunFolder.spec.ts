import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventFile } from '../../fixtures/tfevents';
import { runCommand, screenshot } from '../helpers/browser';
import { openThroughDialog } from '../helpers/folderDialog';
import { waitForPoints } from '../helpers/panels';
import { e2eSession, workbench } from '../helpers/session';

describe('Open Run Folder: runs from other tools', () => {
  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      await screenshot(await workbench(), `failed-${this.currentTest.title.slice(0, 40)}`);
  });

  it('charts a folder of TensorBoard event files', async function () {
    this.timeout(120_000);
    const folder = join(e2eSession().workspace, 'elsewhere', 'tensorboard-run');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'events.out.tfevents.1764600000.host.1.0'), eventFile(12));
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Run Folder…');
    await openThroughDialog(page, folder);
    // 12 training losses and one validation loss.
    await waitForPoints(page, 13, 60_000);
    await screenshot(page, 'open-run-folder-tensorboard');
  });

  it("charts a Lightning CSVLogger's metrics.csv", async function () {
    this.timeout(120_000);
    const folder = join(e2eSession().workspace, 'elsewhere', 'lightning', 'version_0');
    mkdirSync(folder, { recursive: true });
    const rows = Array.from({ length: 10 }, (_, i) => `0,${(i + 1) * 10},${(1 / (i + 1)).toFixed(4)},`);
    writeFileSync(
      join(folder, 'metrics.csv'),
      ['epoch,step,train_loss,val_loss', ...rows, '0,100,,0.2', ''].join('\n'),
    );
    const page = await workbench();
    await runCommand(page, 'Model Lab: Open Run Folder…');
    await openThroughDialog(page, folder);
    await waitForPoints(page, 11, 60_000);
    await screenshot(page, 'open-run-folder-lightning');
  });
});
