import { ANNOTATION_LIMITS } from '../../src/protocol/runsTablePanel';

/** "a, b ,, c" → ["a", "b", "c"]: commas (also the full-width ，) separate tags; duplicates and blanks go. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，]/)
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ].slice(0, ANNOTATION_LIMITS.tags);
}
