/**
 * How deep a JSON text nests, found without parsing it: the parser, the
 * schema checks and `getNodeValue` all recurse, and a file nested tens of
 * thousands of levels deep would overflow the stack ("Maximum call stack
 * size exceeded") instead of getting a message on the line at fault.
 */

/** Far deeper than any experiment file needs (the schema itself nests about 6 levels). */
export const MAX_NESTING = 64;

/** The offset of the bracket that first opens level `limit + 1`, or undefined when the text stays within `limit`. */
export function firstTooDeep(text: string, limit = MAX_NESTING): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > limit) return i;
    } else if (char === '}' || char === ']') depth--;
  }
  return undefined;
}
