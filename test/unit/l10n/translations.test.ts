/**
 * Every user-visible string goes through VS Code's l10n and has its Simplified Chinese translation:
 * manifest strings as `%key%` in package.json with package.nls(.zh-cn).json, runtime strings through
 * `vscode.l10n.t` / `l10n.t` (@vscode/l10n) with l10n/bundle.l10n(.zh-cn).json. The bundle is what
 * `npm run l10n:export` generates from the sources, so a new `l10n.t` string fails here until it is
 * exported and translated.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';
import { CHART_FAMILIES, METRICS } from '../../../src/contract/metrics';
import { metricWords } from '../../../webview/shared/metricText';

type Bundle = Record<string, string | { message: string; comment: string[] }>;
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const message = (entry: Bundle[string]): string => (typeof entry === 'string' ? entry : entry.message);

/** `{0}`, `{name}` placeholders of a message, sorted: a translation must keep every one. */
const placeholders = (text: string): string[] => (text.match(/\{[^{}]+\}/g) ?? []).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Keys missing from `translated`, translations that are empty or lost a placeholder, and stale keys. */
function translationFaults(source: Record<string, string>, translated: Record<string, string>): string[] {
  const faults: string[] = [];
  for (const [key, english] of Object.entries(source)) {
    const chinese = translated[key];
    if (typeof chinese !== 'string' || chinese.trim() === '') faults.push(`no translation: ${key}`);
    else if (placeholders(chinese).join() !== placeholders(english).join())
      faults.push(`placeholders differ: ${key} → ${chinese}`);
  }
  for (const key of Object.keys(translated)) if (!(key in source)) faults.push(`stale key: ${key}`);
  return faults;
}

test('l10n/bundle.l10n.json is exactly what l10n-dev extracts from src/ and webview/ (run npm run l10n:export)', async () => {
  const files = [...sourceFiles('src'), ...sourceFiles('webview')]
    .map((path) => readFileSync(path, 'utf8'))
    .filter((contents) => contents.includes('l10n.t('))
    .map((contents) => ({ contents, extension: '.ts' }));
  const extracted = await getL10nJson(files);
  assert.deepEqual(readJson<Bundle>('l10n/bundle.l10n.json'), JSON.parse(JSON.stringify(extracted)));
});

test('every runtime string has its zh-cn translation, with the same placeholders', () => {
  const bundle = readJson<Bundle>('l10n/bundle.l10n.json');
  const english = Object.fromEntries(Object.entries(bundle).map(([key, entry]) => [key, message(entry)]));
  assert.deepEqual(translationFaults(english, readJson('l10n/bundle.l10n.zh-cn.json')), []);
});

test('every manifest string has its zh-cn translation, with the same placeholders', () => {
  assert.deepEqual(translationFaults(readJson('package.nls.json'), readJson('package.nls.zh-cn.json')), []);
});

/** Fields of package.json that VS Code shows to people. */
const VISIBLE_FIELDS = new Set([
  'displayName',
  'description',
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'title',
  'shortTitle',
  'category',
  'name',
  'contents',
  'label',
  'altText',
]);

/** [json path, value] of every visible string under `value`. */
function visibleStrings(value: unknown, path: string, visible: boolean): [string, string][] {
  if (typeof value === 'string') return visible ? [[path, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => visibleStrings(item, `${path}[${i}]`, visible));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      visibleStrings(item, `${path}.${key}`, VISIBLE_FIELDS.has(key)),
    );
  }
  return [];
}

test('package.json shows no literal text: every visible string is a %key% of package.nls.json', () => {
  const manifest = readJson<Record<string, unknown>>('package.json');
  const nls = readJson<Record<string, string>>('package.nls.json');
  const shown = [
    ...visibleStrings(
      { displayName: manifest.displayName, description: manifest.description },
      'package.json',
      false,
    ),
    ...visibleStrings(manifest.capabilities, 'package.json.capabilities', false),
    ...visibleStrings(manifest.contributes, 'package.json.contributes', false),
  ];
  assert.ok(shown.length > 40, `found only ${shown.length} visible strings; is the walk broken?`);
  const faults = shown.flatMap(([path, text]) => {
    const key = /^%(.+)%$/.exec(text)?.[1];
    if (!key) return [`${path}: literal "${text}"`];
    return key in nls ? [] : [`${path}: %${key}% is not in package.nls.json`];
  });
  assert.deepEqual(faults, []);
});

test('the guards above catch what they are for', () => {
  assert.deepEqual(translationFaults({ a: 'Run {0}', b: 'Stop' }, { a: '运行', c: 'x' }), [
    'placeholders differ: a → 运行',
    'no translation: b',
    'stale key: c',
  ]);
  assert.deepEqual(visibleStrings({ commands: [{ command: 'modelLab.x', title: 'Go' }] }, 'c', false), [
    ['c.commands[0].title', 'Go'],
  ]);
});

test('every word of the metrics table (chart titles, labels, full titles) is translated in the panels', () => {
  const words = Object.keys(metricWords());
  const table = [
    ...CHART_FAMILIES.map((family) => family.title),
    ...Object.values(METRICS).flatMap((metric) => [metric.label, metric.title]),
  ];
  assert.deepEqual(
    table.filter((word) => !words.includes(word)),
    [],
  );
});

test('the New Experiment picker has every template in Chinese: title, description and detail', () => {
  const manifest = readJson<{ templates: { id: string }[] }>('templates/manifest.json');
  const chinese = readJson<Record<string, Record<string, string>>>('templates/manifest.zh-cn.json');
  assert.deepEqual(Object.keys(chinese).sort(), manifest.templates.map((t) => t.id).sort());
  for (const [id, texts] of Object.entries(chinese)) {
    for (const field of ['title', 'description', 'detail'])
      assert.match(texts[field] ?? '', /[\u4e00-\u9fff]/, `${id}.${field}`);
  }
});
