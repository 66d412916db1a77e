/**
 * Durations and dates as people read them (src/protocol/timeText.ts), in English and in Simplified
 * Chinese: durations through the l10n bundle, dates through Intl in the language asked for.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as l10n from '@vscode/l10n';
import { dateTimeText, durationText, shortDateTimeText, timeWords } from '../../../src/protocol/timeText';
import { bundleFor, useTranslations } from '../../../src/trainer/translations';

/** 9:05 on 1 December 2026 in this machine's time zone, the one the reader sees. */
const morning = new Date(2026, 11, 1, 9, 5).toISOString();

test('in English: durations short for a table cell, dates with the month named, on a 24-hour clock', () => {
  assert.deepEqual([0.4, 45.4, 59.6, 725, 3599, 3 * 3600 + 120].map(durationText), [
    '0s',
    '45s',
    '1m 00s',
    '12m 05s',
    '59m 59s',
    '3h 02m',
  ]);
  assert.equal(dateTimeText(morning, 'en'), 'Dec 1, 2026, 09:05');
  assert.equal(dateTimeText(new Date(2026, 11, 1, 21, 30).toISOString(), 'en-US'), 'Dec 1, 2026, 21:30');
  assert.equal(dateTimeText('not a date', 'en'), 'not a date', 'what is no date is shown as written');
  const words = timeWords('en');
  assert.equal(
    words.dateTime(morning),
    'Dec 1, 2026, 09:05',
    'without a clock (the CLI) every start has its year',
  );
  assert.equal(words.duration(75), '1m 15s');
});

test('a start in this year leaves the year out in a table cell, and keeps it in the hover text', () => {
  const inDecember = new Date(2026, 11, 20);
  assert.equal(shortDateTimeText(morning, 'en', inDecember), 'Dec 1, 09:05');
  assert.equal(
    shortDateTimeText(morning, 'en', new Date(2027, 0, 2)),
    'Dec 1, 2026, 09:05',
    'last year keeps its year',
  );
  assert.equal(shortDateTimeText(morning, 'zh-CN', inDecember), '12月1日 09:05');
  assert.equal(shortDateTimeText('not a date', 'en', inDecember), 'not a date');
  const panel = timeWords('zh-CN', () => inDecember);
  assert.equal(panel.dateTime(morning), '12月1日 09:05');
  assert.equal(panel.fullDateTime(morning), '2026年12月1日 09:05');
});

test('in Simplified Chinese: durations from the zh-cn bundle, dates as Chinese writes them', () => {
  useTranslations(bundleFor('zh-CN'));
  try {
    assert.deepEqual([45.4, 725, 3 * 3600 + 120].map(durationText), ['45秒', '12分05秒', '3小时02分']);
    assert.equal(dateTimeText(morning, 'zh-CN'), '2026年12月1日 09:05');
    assert.equal(timeWords('zh-CN').duration(75), '1分15秒');
  } finally {
    l10n.config({ contents: {} });
  }
  assert.equal(durationText(75), '1m 15s', 'back in English once the bundle is gone');
});
