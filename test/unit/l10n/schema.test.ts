import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { localizeSchema, schemaTexts } from '../../../src/extension/experiments/localizedSchema';

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const schema = readJson('schemas/experiment.schema.json');
const chinese = readJson('schemas/experiment.schema.nls.zh-cn.json') as Record<string, string>;

test('every text of the experiment schema has its zh-cn translation, and none is stale', () => {
  const texts = new Set(schemaTexts(schema));
  assert.ok(texts.size > 100, `only ${texts.size} texts found; is the walk broken?`);
  assert.deepEqual(
    [...texts].filter((text) => !chinese[text]?.trim()),
    [],
  );
  assert.deepEqual(
    Object.keys(chinese).filter((text) => !texts.has(text)),
    [],
  );
});

test('the Chinese schema is the same schema with its texts translated', () => {
  const localized = localizeSchema(schema, chinese);
  // Blank every text: what is left is the structure, which must be identical.
  const strip = (value: unknown): unknown =>
    localizeSchema(value, Object.fromEntries(schemaTexts(value).map((text) => [text, ''])));
  assert.deepEqual(strip(localized), strip(schema), 'only texts differ');
  const texts = schemaTexts(localized);
  assert.ok(
    texts.every((text) => /[\u4e00-\u9fff]/.test(text) || text === 'CPU。'),
    'every text is Chinese',
  );
  const epochs = (
    localized as { definitions: Record<string, { properties: Record<string, { description: string }> }> }
  ).definitions;
  assert.ok(JSON.stringify(epochs).includes('遍历训练集的轮数'));
});

test('a field named like a keyword ("description", "name") keeps its schema, only its text is translated', () => {
  const small = {
    description: 'An experiment.',
    properties: { description: { type: 'string', description: 'Free text.' }, title: { type: 'string' } },
    enumDescriptions: ['Use the CPU.'],
  };
  assert.deepEqual(
    localizeSchema(small, {
      'An experiment.': '实验。',
      'Free text.': '自由文本。',
      'Use the CPU.': '用 CPU。',
    }),
    {
      description: '实验。',
      properties: { description: { type: 'string', description: '自由文本。' }, title: { type: 'string' } },
      enumDescriptions: ['用 CPU。'],
    },
  );
});
