/**
 * The experiment schema as VS Code's JSON language service gets it: everything that helps while
 * typing (field names, descriptions, defaults, value suggestions, snippets) and nothing that
 * validates. Model Lab checks experiment files itself (src/experiment/schemaChecks.ts, from the same
 * schema), as errors that name the layer and block Train; if the JSON service validated too, every
 * wrong value would be underlined twice, once by each, with different messages and severities.
 */

/** Keywords that only constrain values; the JSON service would report a value that breaks them. */
const CONSTRAINTS = new Set([
  'type',
  'required',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'const',
]);

/** Keywords whose values are example data, not schemas: a default layer's "type" is a field, kept. */
const DATA = new Set(['default', 'examples', 'defaultSnippets']);

type SchemaObject = Record<string, unknown>;

const isObject = (value: unknown): value is SchemaObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A copy of `schema` that suggests and explains but never reports a problem. */
export function hintOnlySchema<T>(schema: T): T {
  return strip(schema) as T;
}

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (!isObject(node)) return node;
  const hinted: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (CONSTRAINTS.has(key)) continue;
    if (key === 'enum' || key === 'enumDescriptions') continue;
    // "if" only selects which "then" applies and reports nothing itself, so it keeps its const and enum.
    if (key === 'if' || DATA.has(key)) hinted[key] = value;
    // Alternatives that no longer constrain all match, and "oneOf" would report matching several.
    else if (key === 'oneOf') hinted.anyOf = strip(value);
    // false would report every unknown field; a schema for other fields stays as a hint.
    else if (key === 'additionalProperties') {
      if (isObject(value)) hinted.additionalProperties = strip(value);
    } else if (key === 'properties' || key === 'definitions')
      hinted[key] = Object.fromEntries(Object.entries(value as SchemaObject).map(([k, v]) => [k, strip(v)]));
    else hinted[key] = strip(value);
  }
  const suggestions = valueSuggestions(node);
  if (suggestions.length > 0 && !('defaultSnippets' in node)) hinted.defaultSnippets = suggestions;
  return hinted;
}

/** What "enum", "const" and a boolean "type" offered as completions, with their descriptions. */
function valueSuggestions(node: SchemaObject): { label: string; description?: string; body: unknown }[] {
  const descriptions = Array.isArray(node.enumDescriptions) ? (node.enumDescriptions as unknown[]) : [];
  const values = Array.isArray(node.enum)
    ? (node.enum as unknown[])
    : 'const' in node
      ? [node.const]
      : [node.type].flat().includes('boolean')
        ? [true, false]
        : [];
  return values.map((value, i) => ({
    label: JSON.stringify(value),
    ...(typeof descriptions[i] === 'string' ? { description: descriptions[i] as string } : {}),
    body: value,
  }));
}
