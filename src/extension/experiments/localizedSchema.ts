/**
 * The experiment schema in the display language. VS Code localizes package.json through
 * package.nls.json but not the JSON schemas an extension contributes, so the schema reaches the
 * JSON language service through a content provider (experimentSchemaProvider.ts), which serves
 * `schemas/experiment.schema.json` with its texts replaced from
 * `schemas/experiment.schema.nls.<language>.json` (English text → translation). Plain, unit-tested.
 */

/** Schema keywords whose string values people read in hovers and completions. */
const TEXT_KEYWORDS = new Set([
  'title',
  'description',
  'markdownDescription',
  'errorMessage',
  'deprecationMessage',
]);
const TEXT_LIST_KEYWORDS = new Set(['enumDescriptions', 'markdownEnumDescriptions']);

/** Every text of `schema` that a translation would replace, in document order. */
export function schemaTexts(schema: unknown): string[] {
  const texts: string[] = [];
  visit(schema, (text) => {
    texts.push(text);
    return text;
  });
  return texts;
}

/** A copy of `schema` with each text found in `translations` replaced; others stay English. */
export function localizeSchema<T>(schema: T, translations: Readonly<Record<string, string>>): T {
  return visit(schema, (text) => (Object.hasOwn(translations, text) ? translations[text] : text)) as T;
}

function visit(value: unknown, replace: (text: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => visit(item, replace));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (TEXT_KEYWORDS.has(key) && typeof item === 'string') return [key, replace(item)];
      if (TEXT_LIST_KEYWORDS.has(key) && Array.isArray(item))
        return [key, item.map((text) => (typeof text === 'string' ? replace(text) : text))];
      // Under "properties" (and "definitions") the keys are field names: a field called "title" is not a title.
      return [key, visit(item, replace)];
    }),
  );
}
