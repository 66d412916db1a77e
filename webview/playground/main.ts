/**
 * Playground webview: the run's model answers what the user makes. Image classifiers get a
 * pad to draw on (downsampled exactly like the training data, downsample.ts) with class
 * probabilities updating while drawing; language models a prompt with temperature and top-k,
 * the generated text streaming in; tables a row of feature values; models of texts read by a
 * tokenizer a field per text column. One request is in flight
 * at a time; a drawing that changed meanwhile is sent when the answer comes.
 */
// First: the host's translations are in place before any module below builds text.
import '../shared/l10n';
import * as l10n from '@vscode/l10n';
import '../shared/elements';
import type { PanelRun, SingleRunPanelState } from '../../src/protocol/panelRuns';
import type { PlaygroundModelInfo } from '../../src/protocol/playground';
import {
  isHostToPlayground,
  type HostToPlayground,
  type PlaygroundToHost,
} from '../../src/protocol/playgroundPanel';
import { connectToHost } from '../shared/hostChannel';
import { h } from '../shared/theme';
import { digitsFromInk, imageFromInk } from './downsample';
import { textAttentionView } from './textAttention';

const PAD = 256;
/** Cells of the ink grid: the digits' 32×32 bitmap, or a finer grid averaged to the model's input. */
const GRID = 32;
const GENERATE_LENGTH = 200;

const root = h('main', { id: 'playground' }, h('p', { class: 'hint' }, l10n.t('Loading the model…')));
const status = h('p', { class: 'hint', id: 'model-status', role: 'status', 'aria-live': 'polite' });
document.body.append(root);

let run: PanelRun | undefined;
let info: PlaygroundModelInfo | undefined;
let nextId = 1;
let pending: number | undefined;
let dirty = false;
let answers = 0;
let output: HTMLElement | undefined;
/** The text generation started from, for the attention of the generated text. */
let promptText = '';
const attention = textAttentionView();

const channel = connectToHost<HostToPlayground, PlaygroundToHost, SingleRunPanelState>(
  isHostToPlayground,
  onMessage,
);

function onMessage(message: HostToPlayground): void {
  switch (message.type) {
    case 'playground/run':
      run = message.run;
      channel.setState({ runDir: run.runDir });
      return;
    case 'playground/ready': {
      const first = info === undefined || info.kind !== message.info.kind;
      info = message.info;
      showCheckpoint(info);
      if (first) render(info);
      else if (info.kind !== 'text') sendClassify();
      return;
    }
    case 'playground/probabilities':
      if (message.id !== pending) return;
      pending = undefined;
      // A refusal (a name with no letter the model knows) is over once an answer comes.
      if (info && status.classList.contains('error')) showCheckpoint(info);
      showProbabilities(message.probabilities, message.ms);
      if (dirty) sendClassify();
      return;
    case 'playground/token':
      if (message.id === pending && output) output.textContent += message.text;
      return;
    case 'playground/done':
      if (message.id !== pending) return;
      pending = undefined;
      if (!output) return;
      output.dataset.state = 'done';
      pending = nextId++;
      channel.post({ type: 'playground/textAttention', id: pending, text: promptText + output.textContent });
      return;
    case 'playground/attention':
      if (message.id !== pending) return;
      pending = undefined;
      attention.show(message.snapshot);
      return;
    case 'playground/failure':
      if (message.id !== undefined && message.id === pending) pending = undefined;
      status.textContent = message.message;
      status.classList.add('error');
      if (output) output.dataset.state = 'failed';
  }
}

function showCheckpoint(model: PlaygroundModelInfo): void {
  status.textContent =
    model.checkpoint === 'best'
      ? l10n.t('Answering with the best checkpoint, step {0}.', model.step)
      : l10n.t('Answering with the last checkpoint, step {0}.', model.step);
  status.classList.remove('error');
}

function render(model: PlaygroundModelInfo): void {
  const title = h('h1', {}, l10n.t('Playground — {0}', run?.label ?? ''));
  if (model.kind === 'image') root.replaceChildren(title, status, ...imageView(model));
  else if (model.kind === 'text') root.replaceChildren(title, status, ...textView());
  else if (model.kind === 'characters') root.replaceChildren(title, status, ...nameView());
  else if (model.kind === 'texts') root.replaceChildren(title, status, ...typedTextsView(model));
  else root.replaceChildren(title, status, ...tableView(model));
}

// ── image classifiers ─────────────────────────────────────────────────────────
let readInput: () => number[] = () => [];
const bars = h('div', { class: 'probabilities', id: 'probabilities', 'data-testid': 'probabilities' });

function imageView(model: PlaygroundModelInfo): HTMLElement[] {
  const pad = h('canvas', {
    id: 'pad',
    class: 'pad',
    width: String(PAD),
    height: String(PAD),
    'data-testid': 'pad',
  });
  const context = pad.getContext('2d', { willReadFrequently: true })!;
  const clear = () => {
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, PAD, PAD);
  };
  clear();
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.strokeStyle = '#000000';
  // About 2.5 cells of the 32×32 grid: a pen stroke as thick as the scanned digits' strokes.
  context.lineWidth = (PAD / GRID) * 2.5;
  let last: { x: number; y: number } | undefined;
  const at = (event: PointerEvent) => {
    const box = pad.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * PAD) / box.width,
      y: ((event.clientY - box.top) * PAD) / box.height,
    };
  };
  pad.addEventListener('pointerdown', (event) => {
    pad.setPointerCapture(event.pointerId);
    last = at(event);
    stroke(last);
  });
  pad.addEventListener('pointermove', (event) => {
    if (last) stroke(at(event));
  });
  const end = () => (last = undefined);
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  function stroke(to: { x: number; y: number }): void {
    context.beginPath();
    context.moveTo(last!.x, last!.y);
    context.lineTo(to.x + 0.01, to.y);
    context.stroke();
    last = to;
    sendClassify();
  }
  readInput = () => {
    const ink = inkGrid(context);
    return model.digits ? digitsFromInk(ink, GRID) : imageFromInk(ink, GRID, model.inputShape);
  };
  const clearButton = h('vscode-button', { id: 'clear', secondary: '' }, l10n.t('Clear'));
  clearButton.addEventListener('click', () => {
    clear();
    sendClassify();
  });
  const how = model.digits
    ? l10n.t(
        'Draw a digit. Like the training digits, the drawing is counted in 4×4 blocks of a 32×32 grid (8×8 values).',
      )
    : l10n.t(
        "Draw; the drawing is averaged down to the model's {0} input.",
        model.inputShape.slice(1).join('×'),
      );
  sendClassify();
  return [
    h('p', { class: 'hint' }, how),
    h('div', { class: 'playground-row' }, h('div', { class: 'pad-column' }, pad, clearButton), bars),
  ];
}

/** Share of ink (dark pixels) in each cell of a GRID×GRID grid over the pad. */
function inkGrid(context: CanvasRenderingContext2D): number[] {
  const { data } = context.getImageData(0, 0, PAD, PAD);
  const cell = PAD / GRID;
  const ink = new Array<number>(GRID * GRID).fill(0);
  for (let y = 0; y < PAD; y++)
    for (let x = 0; x < PAD; x++)
      ink[Math.floor(y / cell) * GRID + Math.floor(x / cell)] += 1 - data[(y * PAD + x) * 4] / 255;
  return ink.map((v) => v / (cell * cell));
}

function sendClassify(): void {
  if (!info || info.kind === 'text') return;
  if (pending !== undefined) {
    dirty = true;
    return;
  }
  dirty = false;
  pending = nextId++;
  if (info.kind === 'characters')
    channel.post({ type: 'playground/classifyText', id: pending, text: readText() });
  else if (info.kind === 'texts')
    channel.post({ type: 'playground/classifyTexts', id: pending, texts: readTexts() });
  else channel.post({ type: 'playground/classify', id: pending, input: readInput() });
}

function showProbabilities(probabilities: number[], ms: number): void {
  const labels = info?.labels ?? [];
  const top = probabilities.indexOf(Math.max(...probabilities));
  answers++;
  bars.dataset.top = labels[top] ?? String(top);
  bars.dataset.answers = String(answers);
  bars.dataset.probabilities = probabilities.map((p) => p.toFixed(4)).join(' ');
  bars.replaceChildren(
    ...probabilities.map((p, c) => {
      const bar = h('span', { class: 'bar' });
      bar.style.width = `${(p * 100).toFixed(1)}%`;
      return h(
        'div',
        { class: c === top ? 'probability top' : 'probability', 'data-label': labels[c] ?? String(c) },
        h('span', { class: 'label' }, labels[c] ?? String(c)),
        h('span', { class: 'track' }, bar),
        h('span', { class: 'value' }, `${(p * 100).toFixed(1)}%`),
      );
    }),
    h('p', { class: 'hint' }, l10n.t('answered in {0} ms', ms.toFixed(1))),
  );
}

// ── classifiers of texts read by a tokenizer ────────────────────────────────────
let readTexts: () => string[] = () => [];

/** A field per text column of the data (two for pairs), named as the column is. */
function typedTextsView(model: PlaygroundModelInfo): HTMLElement[] {
  const columns = model.textColumns ?? [];
  const fields = columns.map((_column, i) =>
    h('textarea', { id: `text-${i}`, class: 'typed-text', rows: '3', 'data-testid': `text-${i}` }),
  );
  readTexts = () => fields.map((field) => field.value);
  // Every keystroke asks again; one request is in flight at a time (sendClassify).
  for (const field of fields) field.addEventListener('input', sendClassify);
  sendClassify();
  return [
    h(
      'p',
      { class: 'hint' },
      columns.length === 2
        ? l10n.t(
            'Type a pair of texts; the model reads them through its tokenizer as it read the pairs of the data, and answers as you type.',
          )
        : l10n.t(
            'Type a text; the model reads it through its tokenizer as it read the texts of the data, and answers as you type.',
          ),
    ),
    ...fields.map((field, i) => h('label', { class: 'typed-text-field', for: field.id }, columns[i], field)),
    bars,
  ];
}

// ── name classifiers ─────────────────────────────────────────────────────────
let readText: () => string = () => '';

function nameView(): HTMLElement[] {
  const name = h('input', {
    id: 'name',
    type: 'text',
    maxlength: '40',
    value: 'maria',
    'aria-label': l10n.t('Name'),
    'data-testid': 'name',
  });
  readText = () => name.value;
  // Every keystroke asks again; one request is in flight at a time (sendClassify).
  name.addEventListener('input', sendClassify);
  sendClassify();
  return [
    h(
      'p',
      { class: 'hint' },
      l10n.t(
        'Type a name; the model reads its letters as it read the training names, and answers as you type.',
      ),
    ),
    h('label', { class: 'control', for: 'name' }, `${l10n.t('Name')} `, name),
    bars,
  ];
}

// ── tables ───────────────────────────────────────────────────────────────────
function tableView(model: PlaygroundModelInfo): HTMLElement[] {
  const count = model.inputShape.reduce((a, b) => a * b, 1);
  const fields = Array.from({ length: count }, (_, i) =>
    h('vscode-textfield', { id: `feature-${i}`, value: '0', 'aria-label': l10n.t('feature {0}', i + 1) }),
  );
  readInput = () => fields.map((f) => Number(f.value) || 0);
  const predict = h('vscode-button', { id: 'predict' }, l10n.t('Predict'));
  predict.addEventListener('click', sendClassify);
  return [
    h(
      'p',
      { class: 'hint' },
      l10n.t('Feature values as they are in the data file (the training scaling is applied for you).'),
    ),
    h(
      'div',
      { class: 'features' },
      ...fields.map((f, i) => h('label', { class: 'control' }, `${i + 1} `, f)),
    ),
    predict,
    bars,
  ];
}

// ── language models ─────────────────────────────────────────────────────────
function textView(): HTMLElement[] {
  const prompt = h('textarea', {
    id: 'prompt',
    rows: '3',
    'aria-label': l10n.t('Prompt'),
    'data-testid': 'prompt',
  });
  prompt.value = 'ROMEO:';
  const temperature = h('input', {
    id: 'temperature',
    type: 'number',
    min: '0.1',
    max: '2',
    step: '0.1',
    value: '0.8',
  });
  const topK = h('input', { id: 'top-k', type: 'number', min: '0', max: '1000', step: '1', value: '10' });
  output = h('pre', { class: 'sample', id: 'generated', 'data-testid': 'generated' });
  const generate = h('vscode-button', { id: 'generate' }, l10n.t('Generate'));
  generate.addEventListener('click', () => {
    if (pending !== undefined || !output) return;
    output.textContent = '';
    output.dataset.state = 'generating';
    attention.clear();
    promptText = prompt.value;
    pending = nextId++;
    channel.post({
      type: 'playground/generate',
      id: pending,
      prompt: prompt.value,
      temperature: Math.min(5, Math.max(0.05, Number(temperature.value) || 0.8)),
      topK: Math.max(0, Math.floor(Number(topK.value) || 0)),
      length: GENERATE_LENGTH,
    });
  });
  return [
    h(
      'p',
      { class: 'hint' },
      l10n.t(
        'Type a prompt; the model continues it one character at a time. Top-k 0 samples from every character.',
      ),
    ),
    prompt,
    h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'control', for: 'temperature' }, `${l10n.t('Temperature')} `, temperature),
      h('label', { class: 'control', for: 'top-k' }, 'Top-k ', topK),
      generate,
    ),
    output,
    attention.element,
  ];
}
