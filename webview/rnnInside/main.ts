/**
 * LSTM/GRU inside view webview ("Look Inside (LSTM/GRU)"): for one input, a test example
 * picked by its index or (character models) text the user types, every recurrent layer's
 * hidden state and gates over time as heatmaps (time across, one row per unit), the model's
 * answer and, for character classifiers, which letters moved it. The run's inference process
 * computes them; one request is in flight at a time, and an input changed meanwhile is asked
 * for when the answer comes. A newer checkpoint (`playground/ready` again) asks again.
 */
// First: the host's translations are in place before any module below builds text.
import '../shared/l10n';
import * as l10n from '@vscode/l10n';
import '../shared/elements';
import type { SingleRunPanelState } from '../../src/protocol/panelRuns';
import type { PlaygroundRecurrentView } from '../../src/protocol/playground';
import type {
  RecurrentLayerView,
  RecurrentSeriesName,
  RecurrentView,
} from '../../src/protocol/recurrentView';
import { RNN_INSIDE, type RnnInsideToHost } from '../../src/protocol/rnnInsidePanel';
import { buildPalette, visibleToken } from '../attention/heatmapPixels';
import { InsideConversation } from '../shared/insideConversation';
import { examplePicker, insideHeader, stepWithArrowKeys } from '../shared/insideView';
import { formatNumber } from '../shared/l10n';
import { h, onThemeChange, themeColor } from '../shared/theme';
import { attributionShade, paintSeries, seriesRange } from './seriesPixels';

/** What the view shows: a test example, or typed text. */
type Input = { example: number } | { text: string };

interface RnnInsideState extends SingleRunPanelState {
  input: Input;
}

/** CSS pixels of a time step's column (wide enough for its character) and of a unit's row. */
const STEP_WIDTH = 22;
const MAX_HEATMAP_HEIGHT = 192;

const palette = buildPalette();

const header = insideHeader('rnn');
const picker = examplePicker();
const { previous, next, range } = picker;
const exampleInput = picker.input;
const textInput = h('input', {
  id: 'typed-text',
  type: 'text',
  maxlength: '40',
  'aria-label': l10n.t('Type a name'),
  placeholder: l10n.t('Type a name'),
  'data-testid': 'typed-text',
});
const textControl = h(
  'label',
  { class: 'control', for: 'typed-text', hidden: '' },
  `${l10n.t('or type')} `,
  textInput,
);
const inputLine = h('p', { id: 'input-line', role: 'status', 'aria-live': 'polite' });
const attribution = h('section', { id: 'attribution', hidden: '' });
const content = h('div', { id: 'rnn-content' });
document.body.append(
  h(
    'main',
    { id: 'rnn-inside' },
    header.title,
    header.status,
    h('div', { class: 'toolbar' }, ...picker.controls, textControl),
    header.failure,
    inputLine,
    attribution,
    content,
  ),
);
content.append(h('p', { class: 'hint' }, l10n.t('Loading the model…')));

let view: RecurrentView | undefined;

const conversation = new InsideConversation<Input, PlaygroundRecurrentView, RnnInsideToHost, RnnInsideState>({
  isHostToWebview: RNN_INSIDE.isHostToWebview,
  header,
  request: (id, asked) => ({ type: 'playground/recurrent', id, ...asked }),
  same: (a, b) =>
    'example' in a ? 'example' in b && a.example === b.example : 'text' in b && a.text === b.text,
  restore: (state) => state?.input ?? { example: 0 },
  save: (run, input) => ({ runDir: run.runDir, input }),
  show,
});
const restored = conversation.input;
if ('example' in restored) exampleInput.value = String(restored.example);
else textInput.value = restored.text;

/** Moves to test example `index` (kept within the test split once its size is known). */
function pick(index: number): void {
  const last = view ? view.testExamples - 1 : Infinity;
  const example = Math.max(0, Math.min(last, Math.floor(index) || 0));
  exampleInput.value = String(example);
  conversation.ask({ example });
}

const currentExample = () => {
  const input = conversation.input;
  return 'example' in input ? input.example : Number(exampleInput.value) || 0;
};
previous.addEventListener('click', () => pick(currentExample() - 1));
next.addEventListener('click', () => pick(currentExample() + 1));
stepWithArrowKeys((delta) => pick(currentExample() + delta));
exampleInput.addEventListener('change', () => pick(Number(exampleInput.value)));
textInput.addEventListener('input', () => {
  if (textInput.value.trim() === '') return pick(currentExample());
  conversation.ask({ text: textInput.value });
});

function show(answer: RecurrentView): void {
  view = answer;
  exampleInput.max = String(answer.testExamples - 1);
  range.textContent = l10n.t('of 0–{0}', answer.testExamples - 1);
  textControl.hidden = !answer.acceptsText;
  document.body.dataset.input = answer.example === undefined ? 'text' : `example ${answer.example}`;
  showInputLine(answer);
  showAttribution(answer);
  render();
}

function showInputLine(answer: RecurrentView): void {
  const parts: string[] = [];
  if (answer.example !== undefined) parts.push(l10n.t('Test example {0}', answer.example));
  else parts.push(l10n.t('Typed: {0}', answer.steps.join('')));
  if (answer.label !== undefined) parts.push(l10n.t('true class: {0}', answer.label));
  const { classes, probabilities } = answer;
  if (classes && probabilities) {
    const top = probabilities.indexOf(Math.max(...probabilities));
    inputLine.dataset.predicted = classes[top];
    parts.push(
      l10n.t(
        'predicted: {0} ({1})',
        classes[top],
        formatNumber(probabilities[top], { style: 'percent', maximumFractionDigits: 1 }),
      ),
    );
  }
  if (answer.ignored) parts.push(l10n.t('left out (not in the vocabulary): {0}', answer.ignored));
  inputLine.textContent = parts.join(' · ');
}

/** The letters tinted by how much removing each lowers the predicted class's probability. */
function showAttribution(answer: RecurrentView): void {
  const values = answer.attribution;
  attribution.hidden = !values;
  if (!values) return;
  const supports = themeColor('charts-blue', '#3794ff');
  const against = themeColor('charts-red', '#f14c4c');
  const letters = answer.steps.map((ch, t) => {
    if (ch === '') return undefined;
    const shade = attributionShade(values, t);
    const cell = h(
      'span',
      {
        class: 'letter',
        'data-change': values[t].toFixed(4),
        title: l10n.t(
          "Removing this letter changes the predicted class's probability by {0}",
          formatNumber(-values[t], { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }),
        ),
      },
      h('span', { class: 'character' }, visibleToken(ch)),
      h(
        'span',
        { class: 'change' },
        formatNumber(-values[t], { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }),
      ),
    );
    cell.style.setProperty('--shade', shade.supports ? supports : against);
    // At most about half the tint, so the letter stays readable on it in every theme.
    cell.style.setProperty('--strength', `${Math.round(shade.strength * 55)}%`);
    return cell;
  });
  attribution.replaceChildren(
    h('h2', {}, l10n.t('Which letters moved the decision')),
    h(
      'p',
      { class: 'hint' },
      l10n.t(
        "Under each letter: how the predicted class's probability changes when that letter is removed from the input (occlusion). Blue letters supported the answer (removing them lowers it), red ones spoke against it.",
      ),
    ),
    h('div', { class: 'letters', 'data-testid': 'attribution' }, ...letters.filter((l) => l !== undefined)),
  );
}

const SERIES_TITLES: Record<RecurrentSeriesName, () => string> = {
  hidden: () => l10n.t('hidden state h (−1 to 1)'),
  cell: () => l10n.t('cell state c ({0} to {1})', '−1', '1'),
  input: () => l10n.t('input gate i (0 to 1)'),
  forget: () => l10n.t('forget gate f (0 to 1)'),
  output: () => l10n.t('output gate o (0 to 1)'),
  update: () => l10n.t('update gate z (0 to 1)'),
  reset: () => l10n.t('reset gate r (0 to 1)'),
};

function render(): void {
  if (!view) return;
  const answer = view;
  content.replaceChildren(
    h(
      'p',
      { class: 'hint' },
      l10n.t(
        'Each heatmap runs through the input from left to right, one column per step (the character it reads below it), one row per unit; colour from dark (lowest) to yellow (highest).',
      ),
    ),
    ...answer.layers.map((layer) => layerSection(layer, answer.steps)),
  );
}

function layerSection(layer: RecurrentLayerView, steps: string[]): HTMLElement {
  return h(
    'section',
    { class: 'rnn-layer', 'data-layer': String(layer.layer) },
    h('h2', {}, l10n.t('Layer {0}: {1}, {2} units', layer.layer + 1, layer.type.toUpperCase(), layer.units)),
    h(
      'div',
      { class: 'series-grid' },
      ...layer.series.map((s) => {
        const scale = seriesRange(s.name, s.values);
        const bound = (v: number) => formatNumber(v, { maximumFractionDigits: 2 });
        const caption =
          s.name === 'cell'
            ? l10n.t('cell state c ({0} to {1})', bound(scale.min), bound(scale.max))
            : SERIES_TITLES[s.name]();
        return h(
          'figure',
          { class: 'series' },
          h('figcaption', {}, caption),
          heatmap(s.values, layer.steps, layer.units, scale, s.name),
          stepAxis(steps),
        );
      }),
    ),
  );
}

/** One series drawn `steps` × `units` into an offscreen image, then scaled up with crisp cells. */
function heatmap(
  values: number[],
  steps: number,
  units: number,
  scale: { min: number; max: number },
  name: string,
): HTMLCanvasElement {
  const image = new ImageData(steps, units);
  paintSeries(values, steps, units, scale, palette, image.data);
  const bitmap = document.createElement('canvas');
  bitmap.width = steps;
  bitmap.height = units;
  bitmap.getContext('2d')!.putImageData(image, 0, 0);
  const rowHeight = Math.max(1, Math.min(8, Math.floor(MAX_HEATMAP_HEIGHT / units)));
  const width = steps * STEP_WIDTH;
  const height = units * rowHeight;
  const ratio = window.devicePixelRatio || 1;
  const canvas = h('canvas', {
    class: 'heatmap',
    'data-series': name,
    role: 'img',
    'aria-label': l10n.t('{0}: {1} steps × {2} units', name, steps, units),
  });
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return canvas;
}

function stepAxis(steps: string[]): HTMLElement {
  return h(
    'div',
    { class: 'step-axis' },
    ...steps.map((ch) =>
      h('span', { class: ch === '' ? 'step padding' : 'step' }, ch === '' ? '·' : visibleToken(ch)),
    ),
  );
}

// Canvases do not follow CSS: the attribution tints are re-read after a theme switch.
onThemeChange(() => view && showAttribution(view));
