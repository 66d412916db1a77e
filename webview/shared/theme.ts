// Theme colours come from VS Code's --vscode-* CSS variables on <html>/<body>.
// VS Code swaps the body class (vscode-light / vscode-dark / vscode-high-contrast)
// and the variables when the user changes theme; canvases do not follow CSS, so
// panels re-read the colours and redraw when the class changes.

/** The value of a --vscode-* variable, or `fallback` when the theme does not define it. */
export function themeColor(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(`--vscode-${name}`).trim();
  return value || fallback;
}

export type ThemeKind = 'light' | 'dark' | 'high-contrast';

export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast') || classes.contains('vscode-high-contrast-light')) {
    return 'high-contrast';
  }
  return classes.contains('vscode-light') ? 'light' : 'dark';
}

/** Calls `onChange` after each theme switch (body class change). */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** The series colours: VS Code's chart palette, so they match the theme. */
export function seriesPalette(): string[] {
  return [
    themeColor('charts-blue', '#3794ff'),
    themeColor('charts-orange', '#d18616'),
    themeColor('charts-green', '#89d185'),
    themeColor('charts-purple', '#b180d7'),
    themeColor('charts-red', '#f14c4c'),
    themeColor('charts-yellow', '#cca700'),
  ];
}

/** Chart text (ticks, axis titles) and grid-line colours, from the theme's foreground. */
export function chartAxisColors(): { text: string; grid: string } {
  const text = themeColor('foreground', '#cccccc');
  return { text, grid: withAlpha(text, 0.12) };
}

/** `color` (hex or rgb()) with the given opacity, for faded raw curves behind smoothed ones. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(color);
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[\s,/]+/);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}

/** Creates an element with attributes and children; keeps DOM-building code short without innerHTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}
