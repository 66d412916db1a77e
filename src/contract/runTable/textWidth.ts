/** East Asian wide characters (CJK, Hangul, full-width forms): each takes two `ch` in a monospace column or terminal. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/**
 * Width of `text` in `ch` units, as the table panel and `model-lab runs` size their columns: a
 * Chinese header such as 开始时间 needs eight, not four, or it is cut off (or the columns under it
 * slip in a terminal).
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += WIDE.test(char) ? 2 : 1;
  return width;
}
