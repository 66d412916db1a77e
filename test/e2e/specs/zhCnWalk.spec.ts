/**
 * Model Lab in Simplified Chinese, in a code-server of its own: first with `--locale zh-cn` alone
 * (VS Code stays English: without a language pack it does not switch its display language, and no
 * extension's .zh-cn files load), then with the test language pack installed
 * (fixtures/chineseLanguagePack.ts). The walk: scaffold a template from the palette, train it from
 * the CodeLens, the metrics panel, the evaluation, an attention panel, the runs table; at each step a screenshot, no
 * English sentence of Model Lab's l10n bundle on screen, and no clipped label.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { chineseLanguagePackVsix, registerLanguagePack } from '../../fixtures/chineseLanguagePack';
import {
  launchBrowser,
  openWorkbench,
  runCommand,
  screenshot,
  webviewFrame,
  workbenchUrl,
} from '../helpers/browser';
import { type CodeServer, installExtension, startCodeServer } from '../helpers/codeServer';
import { panelWith, pickQuickItem } from '../helpers/panels';
import { createRunFolder, writeAttentionSnapshot } from '../helpers/runFolders';
import { createScratch, type Scratch } from '../helpers/scratch';
import { waitForText, waitUntil } from '../helpers/waitFor';

const repo = join(__dirname, '..', '..', '..');
const vsix = join(repo, 'dist', 'model-lab.vsix');
const chineseTemplates = JSON.parse(
  readFileSync(join(repo, 'templates', 'manifest.zh-cn.json'), 'utf8'),
) as Record<string, { title: string }>;

/** Model Lab's English sentences (two words or more, placeholders dropped): none may be on a Chinese screen. */
const englishSentences = Object.keys(JSON.parse(readFileSync(join(repo, 'l10n', 'bundle.l10n.json'), 'utf8')))
  .map((key) =>
    key
      .split(/\{[^}]+\}/)
      .sort((a, b) => b.length - a.length)[0]
      .trim(),
  )
  .filter((text) => /^[A-Za-z][a-z]+ [a-z]+/.test(text) && text.length >= 12);

/** English sentences of Model Lab in `text`. */
function untranslated(text: string): string[] {
  return englishSentences.filter((sentence) => text.includes(sentence));
}

/** Labels, headings, table headers and badges of a panel whose text is cut off. */
async function clippedLabels(panel: Frame): Promise<string[]> {
  return panel.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('label, h1, h2, th, .badge, .axis, button, .legend *')]
      .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()}: ${el.textContent?.trim()}`),
  );
}

async function checkPanel(panel: Frame, name: string): Promise<void> {
  const text = await panel.evaluate(() => document.body.innerText);
  assert.match(text, /[\u4e00-\u9fff]/, `${name}: no Chinese on screen`);
  assert.deepEqual(untranslated(text), [], `${name}: English left on screen`);
  assert.deepEqual(await clippedLabels(panel), [], `${name}: clipped labels`);
}

describe('简体中文: Model Lab in Chinese', function () {
  this.timeout(600_000);
  let scratch: Scratch;
  let server: CodeServer | undefined;
  let browser: BrowserContext | undefined;
  let page: Page;
  let workspace: string;

  async function start(): Promise<void> {
    server = await startCodeServer({ scratch, workspace, extraArgs: ['--locale', 'zh-cn'] });
    browser = await launchBrowser(scratch);
    page = await openWorkbench(browser, workbenchUrl(server.url, workspace));
  }

  async function stop(): Promise<void> {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    browser = undefined;
    server = undefined;
  }

  before(async () => {
    scratch = createScratch('zh-cn');
    workspace = join(scratch.root, 'workspace');
    mkdirSync(workspace, { recursive: true });
    await installExtension(scratch, vsix);
  });

  after(async () => {
    await stop();
    scratch?.remove();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && browser) await screenshot(page, `failed-zh-cn-${Date.now()}`);
  });

  it('with --locale zh-cn alone, code-server stays English and so does Model Lab', async () => {
    await start();
    await runCommand(page, 'Model Lab: New Experiment…');
    await page.locator('.quick-input-widget', { hasText: 'New Experiment: choose a template' }).waitFor();
    await screenshot(page, 'zh-cn-0-locale-without-language-pack');
    await page.keyboard.press('Escape');
    await stop();
  });

  it('with a Chinese language pack: scaffold, train, metrics, evaluation, attention and the runs table speak Chinese', async () => {
    await installExtension(scratch, await chineseLanguagePackVsix(scratch.root));
    registerLanguagePack(scratch.userDataDir, scratch.extensionsDir);
    await start();

    // Scaffold: the palette, the template picker and the README in Chinese.
    await runCommand(page, 'Model Lab: 新建实验…');
    await page.locator('.quick-input-widget', { hasText: '新建实验：选择模板' }).waitFor();
    const wine = page.locator('.quick-input-list .monaco-list-row', {
      hasText: chineseTemplates['mlp-wine'].title,
    });
    await wine.first().click();
    const nameBox = page.locator('.quick-input-widget .quick-input-box input');
    await nameBox.waitFor({ state: 'visible' });
    await page.locator('.quick-input-widget', { hasText: '新建实验：名称' }).waitFor();
    await nameBox.fill('zh-wine');
    await page.keyboard.press('Enter');
    await page
      .locator('.tabs-container .tab', { hasText: 'README.zh-cn.md' })
      .first()
      .waitFor({ timeout: 30_000 });
    await webviewFrame(page, 'vscode.markdown-language-features')
      .getByRole('heading', { name: 'MLP：从 CSV 表格识别葡萄品种' })
      .waitFor({ timeout: 30_000 });
    await screenshot(page, 'zh-cn-1-scaffold');

    // Train from the CodeLens; the metrics panel opens beside it.
    await page.locator('.tabs-container .tab', { hasText: 'zh-wine.experiment.json' }).first().click();
    const train = page.locator('.codelens-decoration a', { hasText: '▶ 训练' }).first();
    await train.waitFor({ timeout: 30_000 });
    await train.click();
    const metrics = await panelWith(page, '#charts');
    await metrics.waitForSelector('#charts .chart-card', { timeout: 120_000 });
    await waitForText(metrics.locator('.toolbar'), /平滑[\s\S]*X 轴[\s\S]*重置缩放[\s\S]*导出 CSV/);
    // The checkbox draws its label in its shadow DOM, from the attribute.
    assert.equal(await metrics.locator('#log-scale').getAttribute('label'), '对数刻度');
    await waitForText(metrics.locator('.chart-card h2').first(), '损失');

    // The run completes (the editor's copy of it, on disk), and the panel says so in Chinese.
    const runsDir = join(workspace, '.modellab', 'runs', 'zh-wine');
    const runId = await waitUntil(
      'the zh-wine run to complete',
      () => {
        const [id] = existsSync(runsDir) ? readdirSync(runsDir) : [];
        const info =
          id && existsSync(join(runsDir, id, 'run.json'))
            ? (JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as { status: string })
            : undefined;
        return info?.status === 'completed' ? id : undefined;
      },
      300_000,
    );
    await metrics.locator('.badge', { hasText: '已完成' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'zh-cn-2-metrics');
    await checkPanel(metrics, 'metrics');

    await runCommand(page, 'Model Lab: 打开评估');
    await pickQuickItem(page, runId);
    const evaluation = await panelWith(page, '#evaluation h2');
    await waitForText(evaluation.locator('h1'), /^评估 — zh-wine \/ /);
    await waitForText(evaluation.locator('#evaluation'), /混淆矩阵[\s\S]*各类别|各类别[\s\S]*混淆矩阵/);
    await screenshot(page, 'zh-cn-3-evaluation');
    await checkPanel(evaluation, 'evaluation');

    // Attention of a Transformer run (a run folder with snapshots; training one takes minutes).
    const attentionRunId = '20261201-120000-zh';
    const runDir = createRunFolder(workspace, 'shakespeare-zh', attentionRunId, 'completed', [
      { type: 'embedding', dim: 16, vocabSize: 40 },
      { type: 'transformer', heads: 2, causal: true },
    ]);
    for (const step of [10, 20]) writeAttentionSnapshot(runDir, 'To be, or not to be:', step, 1, 2);
    await runCommand(page, 'Model Lab: 打开注意力');
    await pickQuickItem(page, attentionRunId);
    const attention = await panelWith(page, '#attention-grid');
    await attention.waitForSelector('#attention-grid[data-maps="2"]');
    await waitForText(attention.locator('h1'), `注意力 — shakespeare-zh / ${attentionRunId}`);
    await waitForText(attention.locator('#detail-title'), /^第 1 层，头 1 — 第 20 步$/);
    await waitForText(attention.locator('#play'), '播放');
    await screenshot(page, 'zh-cn-4-attention');
    await checkPanel(attention, 'attention');

    // The runs table: headers, statuses, the count, the details pane and the chart's note in Chinese.
    await runCommand(page, 'Model Lab: 打开运行表');
    const table = await panelWith(page, '[data-testid="runs-table"]');
    await waitForText(table.getByTestId('runs-count'), '2 / 2 次运行');
    await waitForText(table.getByTestId('column-name'), '名称');
    await waitForText(table.getByTestId('column-start'), /^开始时间( ▼)?$/);
    await waitForText(table.locator('td.status-completed').first(), '已完成');
    await table.getByTestId('run-name').filter({ hasText: runId }).click();
    await waitForText(
      table.getByTestId('details-heading'),
      new RegExp(`^${runId} · zh-wine / ${runId} · 已完成$`),
    );
    await waitForText(table.getByTestId('reveal-run'), '显示文件夹');
    await waitForText(table.getByTestId('parallel-note'), /^\d 次运行，颜色从最差（蓝）到最好（橙）/);
    await screenshot(page, 'zh-cn-5-runs-table');
    await checkPanel(table, 'runs table');
  });
});
