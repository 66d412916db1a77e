import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { hintOnlySchema } from '../../../src/extension/experiments/hintSchema';

const schema = JSON.parse(readFileSync('schemas/experiment.schema.json', 'utf8'));
const hinted = hintOnlySchema(schema);

/** Every [keyword path, value] pair of a schema, walking nested schemas but not field-name maps' keys. */
function keywords(node: unknown, at = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => keywords(item, `${at}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key === 'properties' || key === 'definitions')
      return Object.entries(value as object).flatMap(([field, sub]) =>
        keywords(sub, `${at}/${key}/${field}`),
      );
    if (key === 'if' || key === 'default' || key === 'examples' || key === 'defaultSnippets') return [];
    return [`${at}/${key}`, ...keywords(value, `${at}/${key}`)];
  });
}

test('the schema VS Code validates with holds no keyword that reports a problem', () => {
  const constraining =
    /\/(type|required|enum|const|oneOf|minimum|maximum|exclusiveMinimum|exclusiveMaximum|minItems|maxItems|uniqueItems|minLength|maxLength|pattern|format)$/;
  const left = keywords(hinted).filter((path) => constraining.test(path));
  assert.deepEqual(left, []);
  assert.ok(keywords(hinted).length > 100, 'the walk reaches the nested schemas');
  assert.equal(JSON.stringify(hinted).includes('"additionalProperties":false'), false);
});

test('it keeps what helps while typing: fields, descriptions, defaults, and enum values as suggestions', () => {
  const layer = hinted.definitions.layer;
  assert.deepEqual(Object.keys(layer.properties), Object.keys(schema.definitions.layer.properties));
  assert.equal(layer.properties.units.description, schema.definitions.layer.properties.units.description);
  const types = layer.properties.type.defaultSnippets as {
    label: string;
    description?: string;
    body: string;
  }[];
  assert.deepEqual(
    types.map((s) => s.body),
    schema.definitions.layer.properties.type.enum,
  );
  assert.equal(types[1].label, '"conv2d"');
  assert.equal(types[1].description, schema.definitions.layer.properties.type.enumDescriptions[1]);
  assert.equal(layer.properties.padding.default, 'valid');
  assert.deepEqual(
    (layer.properties.padding.anyOf as { defaultSnippets?: { body: unknown }[] }[])[0].defaultSnippets?.map(
      (s) => s.body,
    ),
    ['same', 'valid'],
  );
});

test('"if" clauses keep their conditions, so the fields a layer type needs are still the ones suggested', () => {
  const conditions = (node: { allOf?: { if: unknown; then: unknown }[] }) => node.allOf?.map((c) => c.if);
  assert.ok(
    (conditions(schema.definitions.layer) ?? []).length > 0,
    'the schema has conditional layer fields',
  );
  assert.deepEqual(conditions(hinted.definitions.layer), conditions(schema.definitions.layer));
});

test('a default holding a field called "type" is data, not a keyword, and survives', () => {
  const out = hintOnlySchema({
    properties: { layers: { type: 'array', default: [{ type: 'dense', units: 4 }] } },
  });
  assert.deepEqual(out, { properties: { layers: { default: [{ type: 'dense', units: 4 }] } } });
});

test('booleans are suggested as true and false once their type is gone', () => {
  assert.deepEqual(hintOnlySchema({ type: 'boolean', description: 'd' }), {
    description: 'd',
    defaultSnippets: [
      { label: 'true', body: true },
      { label: 'false', body: false },
    ],
  });
});
