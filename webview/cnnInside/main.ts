/**
 * CNN inside view webview ("Look Inside (CNN)"): for one test example picked by its index,
 * the input image, its true class and the model's answer, the first conv layer's filters and
 * every conv layer's feature maps, each map in a grid canvas of its layer. The run's inference
 * process computes them; one request is in flight at a time, and an example picked meanwhile is
 * asked for when the answer comes. A newer checkpoint (`playground/ready` again) asks again.
 */
// First: the host's translations are in place before any module below builds text.
import '../shared/l10n';
import * as l10n from '@vscode/l10n';
import '../shared/elements';
import { CNN_INSIDE, type CnnInsideToHost } from '../../src/protocol/cnnInsidePanel';
import type { FeatureMapView, ImageStack } from '../../src/protocol/featureMaps';
import type { SingleRunPanelState } from '../../src/protocol/panelRuns';
import type { PlaygroundFeatureMapView } from '../../src/protocol/playground';
import { InsideConversation } from '../shared/insideConversation';
import { examplePicker, insideHeader, stepWithArrowKeys } from '../shared/insideView';
import { formatNumber } from '../shared/l10n';
import { pictureBytes } from '../shared/pictureBytes';
import { h } from '../shared/theme';
import { cellAt, gridLayout, type GridLayout } from './gridLayout';
import { gridPixels, valueRange } from './mapPixels';

interface CnnInsideState extends SingleRunPanelState {
  example: number;
}

/** Pixels between maps, and about how large a map is drawn. */
const GAP = 3;
const MAP_TARGET = 56;
const INPUT_TARGET = 160;

const header = insideHeader('cnn');
const picker = examplePicker();
const { previous, next, range } = picker;
const exampleInput = picker.input;
const labelLine = h('p', { id: 'label-line', role: 'status', 'aria-live': 'polite' });
const content = h('div', { id: 'cnn-content' });
const root = h(
  'main',
  { id: 'cnn-inside' },
  header.title,
  header.status,
  h('div', { class: 'toolbar' }, ...picker.controls),
  header.failure,
  labelLine,
  content,
);
document.body.append(root);
content.append(h('p', { class: 'hint' }, l10n.t('Loading the model…')));

let view: FeatureMapView | undefined;

const conversation = new InsideConversation<
  number,
  PlaygroundFeatureMapView,
  CnnInsideToHost,
  CnnInsideState
>({
  isHostToWebview: CNN_INSIDE.isHostToWebview,
  header,
  request: (id, example) => ({ type: 'playground/featureMaps', id, example }),
  restore: (state) => state?.example ?? 0,
  save: (run, example) => ({ runDir: run.runDir, example }),
  show,
});
exampleInput.value = String(conversation.input);

/** Moves to test example `index` (kept within the test split once its size is known). */
function pick(index: number): void {
  const last = view ? view.testExamples - 1 : Infinity;
  const example = Math.max(0, Math.min(last, Math.floor(index) || 0));
  exampleInput.value = String(example);
  conversation.ask(example);
}

previous.addEventListener('click', () => pick(conversation.input - 1));
stepWithArrowKeys((delta) => pick(conversation.input + delta));
next.addEventListener('click', () => pick(conversation.input + 1));
exampleInput.addEventListener('change', () => pick(Number(exampleInput.value)));

function show(shown: FeatureMapView): void {
  view = shown;
  exampleInput.max = String(shown.testExamples - 1);
  range.textContent = l10n.t('of 0–{0}', shown.testExamples - 1);
  document.body.dataset.example = String(shown.example);
  showLabels(shown);
  render();
}

function showLabels(shown: FeatureMapView): void {
  const truth = shown.label ?? '?';
  labelLine.dataset.true = truth;
  labelLine.dataset.predicted = shown.prediction?.label ?? '';
  labelLine.classList.toggle('wrong', shown.prediction !== undefined && shown.prediction.label !== truth);
  labelLine.textContent = shown.prediction
    ? l10n.t(
        'True class: {0} · predicted: {1} ({2})',
        truth,
        shown.prediction.label,
        formatNumber(shown.prediction.probability, { style: 'percent', maximumFractionDigits: 1 }),
      )
    : l10n.t('True class: {0}', truth);
}

function render(): void {
  if (!view) return;
  const maxWidth = Math.max(200, content.clientWidth || document.body.clientWidth - 40);
  const firstLayer = view.layers[0]?.layer ?? 0;
  content.replaceChildren(
    h('section', { class: 'cnn-section' }, h('h2', {}, l10n.t('Input')), inputCanvas(view.input)),
    h(
      'section',
      { class: 'cnn-section' },
      h(
        'h2',
        {},
        l10n.t(
          'Filters of the first conv layer (layer {0}): {1} filters of {2}×{3}',
          firstLayer + 1,
          view.filters.channels,
          view.filters.height,
          view.filters.width,
        ),
      ),
      h(
        'p',
        { class: 'hint' },
        l10n.t(
          "Each filter is scaled on its own, its most negative weight black and its most positive white; a filter's weights are averaged over its input channels.",
        ),
      ),
      gridCanvas(view.filters, 'filters', maxWidth, 'filter'),
    ),
    h(
      'section',
      { class: 'cnn-section', id: 'feature-maps' },
      h('h2', {}, l10n.t('Feature maps')),
      h(
        'p',
        { class: 'hint' },
        l10n.t(
          "Each conv layer's output for this example, after its activation. Each map is scaled on its own from its lowest value (black) to its highest (white); a map with one value everywhere is black.",
        ),
      ),
      ...view.layers.map((layer) =>
        h(
          'figure',
          { class: 'layer-maps', 'data-layer': String(layer.layer) },
          h(
            'figcaption',
            {},
            l10n.t(
              'Layer {0} · conv2d · {1} × {2} × {3} (maps × height × width)',
              layer.layer + 1,
              layer.channels,
              layer.height,
              layer.width,
            ),
          ),
          gridCanvas(layer, `maps-${layer.layer}`, maxWidth, 'map'),
        ),
      ),
    ),
  );
}

function inputCanvas(input: ImageStack): HTMLCanvasElement {
  const canvas = h('canvas', {
    id: 'input-image',
    class: 'input-image',
    role: 'img',
    'aria-label': l10n.t('The test example, {0}×{1}', input.height, input.width),
    width: String(input.width),
    height: String(input.height),
  });
  const bytes = pictureBytes(input.channels, input.height, input.width, input.values);
  canvas.getContext('2d')?.putImageData(new ImageData(bytes, input.width, input.height), 0, 0);
  // Scaled by CSS with smoothing off (image-rendering: pixelated): each value a sharp square.
  const scale = Math.max(1, Math.floor(INPUT_TARGET / Math.max(input.width, input.height)));
  canvas.style.width = `${input.width * scale}px`;
  canvas.style.height = `${input.height * scale}px`;
  return canvas;
}

/**
 * One canvas of a stack's maps (or filters). Hovering a map names it and the values its black
 * and white stand for, as the canvas's tooltip.
 */
function gridCanvas(
  stack: ImageStack,
  id: string,
  maxWidth: number,
  kind: 'filter' | 'map',
): HTMLCanvasElement {
  const layout: GridLayout = gridLayout({
    count: stack.channels,
    height: stack.height,
    width: stack.width,
    maxWidth,
    gap: GAP,
    target: MAP_TARGET,
  });
  const canvas = h('canvas', {
    id,
    class: 'map-grid',
    role: 'img',
    width: String(layout.canvasWidth),
    height: String(layout.canvasHeight),
    'data-maps': String(stack.channels),
    'aria-label':
      kind === 'filter'
        ? l10n.t('{0} filters of {1}×{2}', stack.channels, stack.height, stack.width)
        : l10n.t('{0} feature maps of {1}×{2}', stack.channels, stack.height, stack.width),
  });
  const bytes = gridPixels(stack, layout);
  canvas.getContext('2d')?.putImageData(new ImageData(bytes, layout.canvasWidth, layout.canvasHeight), 0, 0);
  const plane = stack.height * stack.width;
  const value = (v: number) => formatNumber(v, { maximumSignificantDigits: 3 });
  canvas.addEventListener('mousemove', (event) => {
    const box = canvas.getBoundingClientRect();
    const index = cellAt(
      layout,
      stack.channels,
      ((event.clientX - box.left) * canvas.width) / box.width,
      ((event.clientY - box.top) * canvas.height) / box.height,
    );
    if (index === undefined) {
      canvas.removeAttribute('title');
      return;
    }
    const { min, max } = valueRange(stack.values, index * plane, plane);
    canvas.title =
      kind === 'filter'
        ? l10n.t(
            'Filter {0} of {1}: weights from {2} (black) to {3} (white)',
            index + 1,
            stack.channels,
            value(min),
            value(max),
          )
        : l10n.t(
            'Map {0} of {1}: values from {2} (black) to {3} (white)',
            index + 1,
            stack.channels,
            value(min),
            value(max),
          );
  });
  return canvas;
}

// The grids' columns follow the panel's width.
let resizeTimer: number | undefined;
window.addEventListener('resize', () => {
  window.clearTimeout(resizeTimer);
  resizeTimer = window.setTimeout(render, 150);
});
