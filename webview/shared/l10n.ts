/**
 * The panel's language: the translations the host wrote into the page (src/protocol/webviewStrings.ts)
 * configure `@vscode/l10n` when this module loads, so each panel's main.ts imports it first, before
 * any module that builds text. Numbers and dates are formatted with Intl in VS Code's display
 * language, not the browser's.
 */
import * as l10n from '@vscode/l10n';
import { isWebviewStrings, WEBVIEW_STRINGS_ELEMENT_ID } from '../../src/protocol/webviewStrings';

function readStrings(): Record<string, string> | undefined {
  const text = document.getElementById(WEBVIEW_STRINGS_ELEMENT_ID)?.textContent;
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isWebviewStrings(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const strings = readStrings();
if (strings && Object.keys(strings).length > 0) l10n.config({ contents: strings });

/** VS Code's display language, e.g. `en` or `zh-cn`. */
export const displayLanguage = document.documentElement.lang || 'en';

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A number in the display language (digit grouping, decimal sign). */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  const key = JSON.stringify(options);
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(displayLanguage, options);
    numberFormats.set(key, format);
  }
  return format.format(value);
}

/** A date and time in the display language. */
export function formatDateTime(value: Date | number): string {
  return new Intl.DateTimeFormat(displayLanguage, { dateStyle: 'medium', timeStyle: 'short' }).format(value);
}
