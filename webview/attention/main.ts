/**
 * Attention panel webview: a layers × heads grid of thumbnails for one snapshot,
 * one map enlarged with token labels, hover details and a colour legend, a step
 * slider with play that follows the newest snapshot while the run is live, and
 * a probe box that asks the host to run the finished model on other text.
 */
// First: the host's translations are in place before any module below builds text.
import '../shared/l10n';
import * as l10n from '@vscode/l10n';
import {
  isAttentionRunMessage,
  isNoAttentionMessage,
  isProbeErrorMessage,
  isSnapshotMessage,
  isStepsMessage,
  MAX_PROBE_CHARS,
  type AttentionToHost,
  type HostToAttention,
  type SnapshotMessage,
} from '../../src/protocol/attentionPanel';
import { anyOf, type SingleRunPanelState } from '../../src/protocol/panelRuns';
import type { AttentionSnapshot } from '../../src/contract/attentionSnapshot';
import '../shared/elements';
import { connectToHost } from '../shared/hostChannel';
import { h, onThemeChange, themeColor } from '../shared/theme';
import { detailLayout, drawColorbar, drawDetail, drawThumbnail, renderHeadBitmap } from './heatmapCanvas';
import { visibleToken } from './heatmapPixels';
import { probeShownText, snapshotShownText } from './shownText';

const THUMB_SIZE = 84;
const DETAIL_SIZE = 560;
/** Snapshots kept in memory (T=256 × 8 heads × 4 layers is 2M weights each, plus ~1 MB of thumbnail pixels). */
const CACHE_LIMIT = 6;

interface Shown {
  snapshot: AttentionSnapshot;
  probeText?: string;
  /** Thumbnail pixels by layer/head, pooled on first show; scrubbing back to a held snapshot reuses them. */
  thumbnails: Map<string, ImageData>;
}

let steps: number[] = [];
let stepIndex = -1;
let followLatest = true;
/** A probe's maps are on screen: a live snapshot that arrives late must not replace them (until the user steps). */
let showingProbe = false;
let playing: number | undefined;
let shown: Shown | undefined;
let selected = { layer: 0, head: 0 };
let pending: number | undefined;
const cache = new Map<number, Shown>();

// ── layout ────────────────────────────────────────────────────────────────────
const title = h('h1', {}, l10n.t('Attention'));
const message = h('p', { class: 'message', id: 'attention-message', hidden: '' });
const slider = h('input', {
  type: 'range',
  id: 'step-slider',
  min: '0',
  max: '0',
  step: '1',
  'aria-label': l10n.t('Snapshot step'),
});
const stepLabel = h('output', { id: 'step-label', for: 'step-slider' });
const play = h('vscode-button', { id: 'play', secondary: '' }, l10n.t('Play'));
const follow = h('vscode-checkbox', { id: 'follow', label: l10n.t('Follow latest'), checked: '' });
// Disabled until the host says the run can be probed (it has a checkpoint).
const probeInput = h('vscode-textfield', {
  id: 'probe-text',
  placeholder: l10n.t('Another probe text…'),
  maxlength: String(MAX_PROBE_CHARS),
  disabled: '',
});
const probeButton = h('vscode-button', { id: 'probe-run', disabled: '' }, l10n.t('Run probe'));
const probeStatus = h('span', { class: 'hint', id: 'probe-status' });
const shownLine = h('p', { class: 'hint', id: 'shown', role: 'status' });
const grid = h('div', {
  class: 'grid',
  id: 'attention-grid',
  role: 'group',
  'aria-label': l10n.t('Layers × heads'),
});
const detailCanvas = h('canvas', { id: 'detail', tabindex: '0', role: 'img' });
const tooltip = h('div', { class: 'tooltip', id: 'attention-tooltip', hidden: '' });
const colorbar = h('canvas', { id: 'colorbar' });
const colorMax = h('span', { id: 'color-max' });
const detailTitle = h('h2', { id: 'detail-title' });
const content = h(
  'div',
  { id: 'attention-content', hidden: '' },
  h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Snapshots') },
    h('label', { class: 'control', for: 'step-slider' }, `${l10n.t('Step')} `, slider, stepLabel),
    play,
    follow,
  ),
  h('div', { class: 'probe' }, probeInput, probeButton, probeStatus),
  shownLine,
  grid,
  detailTitle,
  h(
    'div',
    { class: 'detail' },
    h('div', { class: 'heatmap' }, detailCanvas, tooltip),
    h(
      'div',
      { class: 'colorbar', 'aria-label': l10n.t('Colour scale') },
      colorMax,
      colorbar,
      h('span', {}, '0'),
    ),
  ),
  h(
    'p',
    { class: 'hint' },
    l10n.t(
      'Rows are queries, columns are keys; empty cells above the diagonal are masked (causal). Each map is scaled to its own maximum. On the enlarged map, arrow keys move a cell cursor.',
    ),
  ),
);
document.body.append(title, message, content);

const isHostToAttention = anyOf<HostToAttention>(
  isAttentionRunMessage,
  isStepsMessage,
  isSnapshotMessage,
  isNoAttentionMessage,
  isProbeErrorMessage,
);
const channel = connectToHost<HostToAttention, AttentionToHost, SingleRunPanelState>(
  isHostToAttention,
  onMessage,
);

slider.addEventListener('input', () => {
  followLatest = Number(slider.value) === steps.length - 1;
  follow.checked = followLatest;
  showStep(Number(slider.value));
});
follow.addEventListener('change', () => {
  followLatest = follow.checked;
  if (followLatest) showStep(steps.length - 1);
});
play.addEventListener('click', () => (playing === undefined ? startPlaying() : stopPlaying()));
probeButton.addEventListener('click', runProbe);
probeInput.addEventListener('keydown', (e) => e.key === 'Enter' && runProbe());
detailCanvas.addEventListener('mousemove', (e) => hover(e.offsetX, e.offsetY));
detailCanvas.addEventListener('mouseleave', () => (tooltip.hidden = true));
detailCanvas.addEventListener('keydown', moveKeyboardCursor);
detailCanvas.addEventListener('blur', () => (tooltip.hidden = true));
// Thumbnails use the theme-independent palette; only the enlarged map's labels take the theme's colour.
onThemeChange(() => shown && renderDetail(shown));

// ── host messages ─────────────────────────────────────────────────────────────
function onMessage(m: HostToAttention): void {
  switch (m.type) {
    case 'run':
      channel.setState({ runDir: m.run.runDir });
      title.textContent = l10n.t('Attention — {0}', m.run.label);
      probeInput.toggleAttribute('disabled', !m.probeAvailable);
      probeButton.toggleAttribute('disabled', !m.probeAvailable);
      probeStatus.textContent = m.probeAvailable ? '' : (m.probeUnavailableReason ?? '');
      return;
    case 'noAttention':
      message.textContent = m.message;
      message.hidden = false;
      content.hidden = steps.length === 0;
      return;
    case 'steps':
      onSteps(m.steps);
      return;
    case 'snapshot':
      onSnapshot(m);
      return;
    case 'probeError':
      probeStatus.textContent = m.message;
      probeStatus.classList.add('error');
      return;
  }
}

function onSteps(next: number[]): void {
  steps = next;
  message.hidden = steps.length > 0 || message.hidden;
  content.hidden = steps.length === 0;
  slider.max = String(Math.max(0, steps.length - 1));
  if (steps.length === 0) return;
  if (followLatest || stepIndex < 0) showStep(steps.length - 1);
  else slider.value = String(stepIndex);
}

function onSnapshot(m: SnapshotMessage): void {
  if (m.probeText !== undefined) {
    // The host probes the best checkpoint, else the last one (a run without validation), and says which.
    shownLine.textContent = probeShownText(m.probeText, m.snapshot.step, m.checkpoint);
    probeStatus.textContent = '';
    probeStatus.classList.remove('error');
    stopPlaying();
    followLatest = false;
    follow.checked = false;
    showingProbe = true;
    renderSnapshot({ snapshot: m.snapshot, probeText: m.probeText, thumbnails: new Map() });
    return;
  }
  const held: Shown = { snapshot: m.snapshot, thumbnails: new Map() };
  cache.set(m.snapshot.step, held);
  while (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as number);
  if (pending === m.snapshot.step) pending = undefined;
  if (!showingProbe && steps[stepIndex] === m.snapshot.step) renderSnapshot(held);
}

// ── stepping ─────────────────────────────────────────────────────────────────
function showStep(index: number): void {
  if (index < 0 || index >= steps.length) return;
  showingProbe = false;
  stepIndex = index;
  slider.value = String(index);
  const step = steps[index];
  stepLabel.textContent = l10n.t('{0} ({1} of {2})', step, index + 1, steps.length);
  shownLine.textContent = snapshotShownText(step, index, steps.length);
  const held = cache.get(step);
  if (held) renderSnapshot(held);
  else if (pending !== step) {
    pending = step;
    channel.post({ type: 'requestSnapshot', step });
  }
}

function startPlaying(): void {
  if (steps.length < 2) return;
  followLatest = false;
  follow.checked = false;
  play.textContent = l10n.t('Pause');
  if (stepIndex >= steps.length - 1) showStep(0);
  playing = window.setInterval(() => {
    if (pending !== undefined) return; // wait for the snapshot being fetched
    if (stepIndex >= steps.length - 1) stopPlaying();
    else showStep(stepIndex + 1);
  }, 400);
}

function stopPlaying(): void {
  if (playing !== undefined) window.clearInterval(playing);
  playing = undefined;
  play.textContent = l10n.t('Play');
}

function runProbe(): void {
  const text = probeInput.value;
  if (text.length === 0 || probeButton.hasAttribute('disabled')) return;
  probeStatus.textContent = l10n.t('Running the model on the probe…');
  probeStatus.classList.remove('error');
  channel.post({ type: 'probe', text: text.slice(0, MAX_PROBE_CHARS) });
}

// ── rendering ────────────────────────────────────────────────────────────────
function renderSnapshot(next: Shown): void {
  shown = next;
  const { snapshot } = next;
  const layers = snapshot.layers;
  if (!layers.some((l) => l.layer === selected.layer && selected.head < l.heads))
    selected = { layer: layers[0].layer, head: 0 };
  buildGrid(snapshot);
  for (const layer of layers) {
    const length = layer.length;
    for (let head = 0; head < layer.heads; head++) {
      const key = thumbKey(layer.layer, head);
      const map = { probs: layer.probs, offset: head * length * length, length };
      const kept = next.thumbnails.get(key);
      next.thumbnails.set(key, drawThumbnail(thumbs.get(key)!.canvas, map, THUMB_SIZE, kept));
    }
  }
  markSelected();
  renderDetail(next);
  document.body.dataset.step = String(snapshot.step);
}

/** Thumbnail buttons by layer and head; kept while snapshots keep the same layers and heads. */
const thumbs = new Map<string, { button: HTMLElement; canvas: HTMLCanvasElement }>();
let gridShape = '';
const thumbKey = (layer: number, head: number) => `${layer}/${head}`;

/** (Re)builds the grid's axes and thumbnail buttons when the layers or head counts differ from the last snapshot's. */
function buildGrid(snapshot: AttentionSnapshot): void {
  const layers = snapshot.layers;
  const shape = layers.map((l) => `${l.layer}×${l.heads}`).join(' ');
  if (shape === gridShape) return;
  gridShape = shape;
  thumbs.clear();
  const heads = Math.max(...layers.map((l) => l.heads));
  grid.style.gridTemplateColumns = `auto repeat(${heads}, ${THUMB_SIZE + 2}px)`;
  const children: HTMLElement[] = [h('span', {})];
  for (let head = 0; head < heads; head++)
    children.push(h('span', { class: 'axis' }, l10n.t('head {0}', head + 1)));
  for (const layer of layers) {
    const name = attentionLayerName(snapshot, layer);
    children.push(h('span', { class: 'axis', title: l10n.t('model layer {0}', layer.layer) }, name));
    for (let head = 0; head < layer.heads; head++) {
      const canvas = h('canvas', {});
      const button = h(
        'button',
        {
          class: 'thumb',
          'aria-pressed': 'false',
          'aria-label': l10n.t('{0}, head {1}', name, head + 1),
          'data-layer': String(layer.layer),
          'data-head': String(head),
        },
        canvas,
      );
      button.addEventListener('click', () => select(layer.layer, head));
      thumbs.set(thumbKey(layer.layer, head), { button, canvas });
      children.push(button);
    }
  }
  grid.replaceChildren(...children);
  grid.dataset.maps = String(thumbs.size);
}

/** Enlarges another map of the snapshot shown: only the selection outline and the enlarged map change. */
function select(layer: number, head: number): void {
  selected = { layer, head };
  markSelected();
  if (shown) renderDetail(shown);
  detailCanvas.focus({ preventScroll: true });
}

function markSelected(): void {
  const key = thumbKey(selected.layer, selected.head);
  for (const [k, { button }] of thumbs) button.setAttribute('aria-pressed', String(k === key));
}

function renderDetail({ snapshot, probeText }: Shown): void {
  const layer = snapshot.layers.find((l) => l.layer === selected.layer) ?? snapshot.layers[0];
  const offset = selected.head * layer.length * layer.length;
  const { bitmap, max } = renderHeadBitmap({ probs: layer.probs, offset, length: layer.length });
  const layout = detailLayout(layer.length, DETAIL_SIZE);
  drawDetail(detailCanvas, bitmap, snapshot.tokens, layout, themeColor('foreground', '#cccccc'));
  drawColorbar(colorbar, layer.length * layout.cell);
  colorMax.textContent = max.toFixed(3);
  const source =
    probeText !== undefined ? l10n.t('probe “{0}”', probeText) : l10n.t('step {0}', snapshot.step);
  detailTitle.textContent = l10n.t(
    '{0}, head {1} — {2}',
    attentionLayerName(snapshot, layer),
    selected.head + 1,
    source,
  );
  detailCanvas.setAttribute(
    'aria-label',
    l10n.t('Attention map of {0}; hover a cell for the token pair and weight', detailTitle.textContent),
  );
}

/** Keyboard users move a cell cursor with the arrow keys; the tooltip follows it as it follows the mouse. */
const cursor = { q: 0, k: 0 };
function moveKeyboardCursor(event: KeyboardEvent): void {
  const moves: Record<string, [number, number]> = {
    ArrowUp: [-1, 0],
    ArrowDown: [1, 0],
    ArrowLeft: [0, -1],
    ArrowRight: [0, 1],
  };
  const move = moves[event.key];
  if (!move || !shown) return;
  event.preventDefault();
  const length = shown.snapshot.tokens.length;
  cursor.q = Math.max(0, Math.min(length - 1, cursor.q + move[0]));
  cursor.k = Math.max(0, Math.min(length - 1, cursor.k + move[1]));
  const layout = detailLayout(length, DETAIL_SIZE);
  hover(layout.left + (cursor.k + 0.5) * layout.cell, layout.top + (cursor.q + 0.5) * layout.cell);
}

function hover(x: number, y: number): void {
  if (!shown) return;
  const { snapshot } = shown;
  const layer = snapshot.layers.find((l) => l.layer === selected.layer) ?? snapshot.layers[0];
  const layout = detailLayout(layer.length, DETAIL_SIZE);
  const q = Math.floor((y - layout.top) / layout.cell);
  const k = Math.floor((x - layout.left) / layout.cell);
  if (q < 0 || k < 0 || q >= layer.length || k >= layer.length) {
    tooltip.hidden = true;
    return;
  }
  const weight = layer.probs[selected.head * layer.length * layer.length + q * layer.length + k];
  const masked = weight === 0 && k > q;
  const pair = l10n.t(
    'query {0} “{1}” → key {2} “{3}”',
    q,
    visibleToken(snapshot.tokens[q]),
    k,
    visibleToken(snapshot.tokens[k]),
  );
  tooltip.textContent = masked ? l10n.t('{0}: masked', pair) : `${pair}: ${weight.toFixed(4)}`;
  tooltip.style.left = `${x + 12}px`;
  tooltip.style.top = `${y + 12}px`;
  tooltip.hidden = false;
}

/** "Layer 2": the position among the model's attention layers (the snapshot's `layer` counts every model layer). */
function attentionLayerName(snapshot: AttentionSnapshot, layer: AttentionSnapshot['layers'][number]): string {
  return l10n.t('Layer {0}', snapshot.layers.indexOf(layer) + 1);
}
