/**
 * The CLI writes dates for its language (`--lang` or the locale, as Intl names it) and its
 * progress bar's ETA as Model Lab writes every duration.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { intlLocale } from '../../../src/cli/cliLanguage';
import { barTime } from '../../../src/cli/progressDisplay';
import { bundleFor, useTranslations } from '../../../src/trainer/translations';

test('a CLI language becomes the tag Intl formats dates for; C, POSIX and unknown tags read English', () => {
  const tags: Record<string, string> = {
    'zh_CN.UTF-8': 'zh-CN',
    'zh-CN': 'zh-CN',
    'zh-cn': 'zh-CN',
    'de_DE@euro': 'de-DE',
    'en_US.UTF-8': 'en-US',
  };
  for (const [language, tag] of Object.entries(tags)) assert.equal(intlLocale(language), tag, language);
  for (const language of ['C', 'C.UTF-8', 'POSIX', '', 'xx-YY', 'not a tag!'])
    assert.equal(intlLocale(language), 'en', language);
});

test("the progress bar's ETA in English and in Chinese; a dash before the pace is known", () => {
  assert.equal(barTime(75), '1m 15s');
  assert.equal(barTime('130'), '2m 10s');
  // cli-progress's words for "no pace yet" and "stalled".
  assert.equal(barTime('NULL'), '—');
  assert.equal(barTime('INF'), '—');
  useTranslations(bundleFor('zh-CN'));
  try {
    assert.equal(barTime(75), '1分15秒');
    assert.equal(barTime(4000), '1小时06分');
  } finally {
    l10n.config({ contents: {} });
  }
});
