/**
 * The playground's attention of generated text (language models): once a generation is done,
 * the maps of every attention layer over the prompt and what followed (its last context-length
 * characters), one head at a time as the user picks layer and head (the last layer first),
 * drawn as the attention panel draws its enlarged map.
 */
import * as l10n from '@vscode/l10n';
import type { AttentionSnapshot } from '../../src/contract/attentionSnapshot';
import { detailLayout, drawColorbar, drawDetail, renderHeadBitmap } from '../attention/heatmapCanvas';
import { h, onThemeChange, themeColor } from '../shared/theme';

const DETAIL_SIZE = 420;

export interface TextAttentionView {
  readonly element: HTMLElement;
  show(snapshot: AttentionSnapshot): void;
  clear(): void;
}

export function textAttentionView(): TextAttentionView {
  const layerSelect = h('select', { id: 'attention-layer', 'aria-label': l10n.t('Layer') });
  const headSelect = h('select', { id: 'attention-head', 'aria-label': l10n.t('Head') });
  const canvas = h('canvas', { id: 'text-attention', 'data-testid': 'text-attention' });
  const colorbar = h('canvas', { class: 'colorbar' });
  const element = h(
    'section',
    { id: 'text-attention-section', hidden: '' },
    h('h2', {}, l10n.t('Attention of the generated text')),
    h(
      'p',
      { class: 'hint' },
      l10n.t(
        'Each row is a character of the text (the prompt and what the model wrote, its last characters up to the context length); its colours show which earlier characters that position attended to.',
      ),
    ),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'control', for: 'attention-layer' }, `${l10n.t('Layer')} `, layerSelect),
      h('label', { class: 'control', for: 'attention-head' }, `${l10n.t('Head')} `, headSelect),
    ),
    h('div', { class: 'playground-row' }, canvas, colorbar),
  );
  let snapshot: AttentionSnapshot | undefined;

  const options = (
    select: HTMLSelectElement,
    count: number,
    label: (i: number) => string,
    chosen: number,
  ) => {
    select.replaceChildren(
      ...Array.from({ length: count }, (_, i) => h('option', { value: String(i) }, label(i))),
    );
    select.value = String(chosen);
  };

  function draw(): void {
    if (!snapshot) return;
    const layer = snapshot.layers[Number(layerSelect.value)] ?? snapshot.layers.at(-1)!;
    const head = Math.min(Number(headSelect.value) || 0, layer.heads - 1);
    const offset = head * layer.length * layer.length;
    const { bitmap } = renderHeadBitmap({ probs: layer.probs, offset, length: layer.length });
    const layout = detailLayout(layer.length, DETAIL_SIZE);
    drawDetail(canvas, bitmap, snapshot.tokens, layout, themeColor('foreground', '#cccccc'));
    drawColorbar(colorbar, layer.length * layout.cell);
    canvas.dataset.layer = String(layer.layer);
    canvas.dataset.head = String(head);
    canvas.dataset.tokens = snapshot.tokens.join('');
  }

  layerSelect.addEventListener('change', () => {
    const layer = snapshot?.layers[Number(layerSelect.value)];
    if (layer) options(headSelect, layer.heads, (i) => l10n.t('head {0}', i + 1), 0);
    draw();
  });
  headSelect.addEventListener('change', draw);
  onThemeChange(draw);

  return {
    element,
    show(next) {
      const first = snapshot === undefined;
      snapshot = next;
      element.hidden = false;
      // The last layer first; a later generation keeps the layer and head the user chose.
      if (first || layerSelect.options.length !== next.layers.length) {
        const last = next.layers.length - 1;
        options(layerSelect, next.layers.length, (i) => l10n.t('layer {0}', next.layers[i].layer + 1), last);
        options(headSelect, next.layers[last].heads, (i) => l10n.t('head {0}', i + 1), 0);
      }
      draw();
    },
    clear() {
      element.hidden = true;
    },
  };
}
