/**
 * The CLI speaks the user's language: `--lang zh-CN`, else LC_ALL / LC_MESSAGES / LANG, with the
 * same l10n bundles as the editor; English for English, C and languages Model Lab has no bundle for.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cliLanguage } from '../../../src/cli/cliLanguage';
import { bundleFor, l10nFolder } from '../../../src/trainer/translations';
import { modelLabWithLocale } from '../../fixtures/modelLabCli';

test('--lang wins over the locale variables, which count in POSIX order', () => {
  assert.equal(cliLanguage(['train', 'x', '--lang', 'zh-CN'], { LANG: 'en_US.UTF-8' }), 'zh-CN');
  assert.equal(cliLanguage(['--lang=zh-CN'], {}), 'zh-CN');
  assert.equal(cliLanguage([], { LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }), 'zh_CN.UTF-8');
  assert.equal(cliLanguage([], { LC_ALL: 'zh_CN.GB18030', LC_MESSAGES: 'en_US' }), 'zh_CN.GB18030');
  assert.equal(cliLanguage([], {}), 'en');
});

test('a language tag finds its bundle in l10n/, from sources as from dist/', () => {
  const folder = l10nFolder();
  assert.ok(folder, 'the l10n folder is found from src/trainer');
  const chinese = join(folder, 'bundle.l10n.zh-cn.json');
  for (const tag of ['zh-CN', 'zh_CN.UTF-8', 'zh-cn', 'zh']) assert.equal(bundleFor(tag), chinese, tag);
  for (const tag of ['en', 'en_US.UTF-8', 'C.UTF-8', 'POSIX', 'xx-YY'])
    assert.equal(bundleFor(tag), undefined, tag);
  assert.equal(l10nFolder(join(folder, '..', 'dist')), folder);
});

test('model-lab --help is in Chinese with --lang zh-CN and with LANG=zh_CN.UTF-8, in English with LANG=C', () => {
  const byFlag = modelLabWithLocale({ LANG: 'C.UTF-8' }, 'train', '--help', '--lang', 'zh-CN');
  assert.equal(byFlag.status, 0, byFlag.stderr);
  assert.match(byFlag.stdout, /训练一个实验文件/);
  assert.match(byFlag.stdout, /运行文件夹存放的位置/);
  const byLocale = modelLabWithLocale({ LANG: 'zh_CN.UTF-8' }, 'train', '--help');
  assert.equal(byLocale.stdout, byFlag.stdout);
  const english = modelLabWithLocale({ LANG: 'C.UTF-8' }, 'train', '--help');
  assert.match(english.stdout, /where run folders go/);
  assert.doesNotMatch(english.stdout, /[\u4e00-\u9fff]/);
});

test('a refused experiment is explained in Chinese: the problem on its line, the data file named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modellab-cli-lang-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const experiment = JSON.parse(readFileSync('templates/mlp-wine/wine-mlp.experiment.json', 'utf8')) as {
    data: { source: string };
  };
  experiment.data.source = 'missing.csv';
  const file = join(dir, 'wine.experiment.json');
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  const chinese = modelLabWithLocale({ LANG: 'C.UTF-8' }, 'train', file, '--lang', 'zh-CN');
  assert.equal(chinese.status, 2);
  assert.match(
    chinese.stderr,
    /wine\.experiment\.json:\d+:\d+: error: 数据文件 "missing\.csv" 不存在（路径相对于此实验文件）/,
  );
  const english = modelLabWithLocale({ LANG: 'C.UTF-8' }, 'train', file);
  assert.match(
    english.stderr,
    /error: the data file "missing\.csv" does not exist \(paths are relative to this experiment file\)/,
  );
});
