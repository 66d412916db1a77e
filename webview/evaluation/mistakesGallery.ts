/**
 * The mistakes gallery of the evaluation view: the wrong test examples eval.json kept, most
 * confident first, as pictures (images drawn at their pixel size and scaled up unsmoothed) or
 * text, each with its true and predicted class and their probabilities. A confusion-matrix
 * cell, row or column filters it (`setFilter`).
 */
import * as l10n from '@vscode/l10n';
import type { ExampleInput, Mistake } from '../../src/contract/evalReport';
import { pictureBytes } from '../shared/pictureBytes';
import { h } from '../shared/theme';
import { describeFilter, filterMistakes, percent, type MistakeFilter } from './mistakeFilter';

/** Thumbnails are drawn this many CSS pixels on their longer side. */
const THUMB_SIZE = 72;

export class MistakesGallery {
  readonly element = h('section', { id: 'mistakes', 'aria-labelledby': 'mistakes-title' });
  private readonly grid = h('div', { class: 'gallery', id: 'gallery', role: 'list' });
  private readonly caption = h('span', { id: 'mistakes-filter', role: 'status', 'aria-live': 'polite' });
  private readonly clear = h('vscode-button', { id: 'clear-filter', secondary: '' }, l10n.t('Show all'));
  private filter: MistakeFilter = {};

  constructor(
    private readonly mistakes: readonly Mistake[],
    private readonly labelOf: (c: number) => string,
    wrongTotal: number,
    filter: MistakeFilter,
    private readonly onFilter: (filter: MistakeFilter) => void,
  ) {
    const kept =
      mistakes.length < wrongTotal
        ? l10n.t(
            '{0} test examples are wrong; the {1} the model was most sure of are kept, most confident first.',
            wrongTotal.toLocaleString(),
            mistakes.length,
          )
        : wrongTotal === 1
          ? l10n.t('1 test example is wrong, most confident first.')
          : l10n.t('{0} test examples are wrong, most confident first.', wrongTotal.toLocaleString());
    this.clear.addEventListener('click', () => this.setFilter({}));
    this.element.append(
      h('h2', { id: 'mistakes-title' }, l10n.t('Mistakes')),
      h(
        'p',
        { class: 'hint' },
        `${kept} ${l10n.t('Click a confusion-matrix cell, row or column to filter.')}`,
      ),
      h('div', { class: 'filter-bar' }, this.caption, this.clear),
      this.grid,
    );
    this.setFilter(filter, false);
  }

  setFilter(filter: MistakeFilter, notify = true): void {
    this.filter = filter;
    const shown = filterMistakes(this.mistakes, filter);
    const described = describeFilter(filter, this.labelOf);
    this.caption.textContent = described
      ? l10n.t('{0} shown: {1}', shown.length, described)
      : l10n.t('{0} shown', shown.length);
    this.clear.hidden = !described;
    this.grid.dataset.count = String(shown.length);
    this.grid.dataset.filter = described ?? '';
    this.grid.replaceChildren(
      ...(shown.length
        ? shown.map((m) => this.card(m))
        : [
            h(
              'p',
              { class: 'hint' },
              described
                ? l10n.t('No kept mistakes match: these predictions are right, or less confident.')
                : l10n.t('No mistakes kept.'),
            ),
          ]),
    );
    if (notify) this.onFilter(filter);
  }

  get current(): MistakeFilter {
    return this.filter;
  }

  private card(m: Mistake): HTMLElement {
    const truth = l10n.t('true {0} ({1})', this.labelOf(m.actual), percent(m.actualProbability));
    const guess = l10n.t('predicted {0} ({1})', this.labelOf(m.predicted), percent(m.confidence));
    return h(
      'figure',
      {
        class: 'mistake',
        role: 'listitem',
        'data-actual': String(m.actual),
        'data-predicted': String(m.predicted),
        title: l10n.t('test example {0}: {1}, {2}', m.index + 1, truth, guess),
      },
      picture(m.input),
      h('figcaption', {}, h('span', { class: 'predicted' }, guess), h('span', { class: 'actual' }, truth)),
    );
  }
}

function picture(input: ExampleInput): HTMLElement {
  if (input.kind === 'text') return h('span', { class: 'mistake-text' }, input.text || '(empty)');
  if (input.kind === 'values') {
    const shown = input.values.slice(0, 8).join(', ');
    return h('span', { class: 'mistake-text' }, input.values.length > 8 ? `${shown}, …` : shown);
  }
  const { channels, height, width, pixels } = input;
  const canvas = h('canvas', { class: 'mistake-image', width: String(width), height: String(height) });
  const image = new ImageData(pictureBytes(channels, height, width, pixels), width, height);
  canvas.getContext('2d')?.putImageData(image, 0, 0);
  const scale = THUMB_SIZE / Math.max(width, height);
  canvas.style.width = `${width * scale}px`;
  canvas.style.height = `${height * scale}px`;
  return canvas;
}
