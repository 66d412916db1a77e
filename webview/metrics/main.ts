/**
 * Metrics panel webview: one chart per metric family for one run or several
 * overlaid runs. Receives records from the host (which tails metrics.jsonl),
 * keeps the view settings in getState/setState, and asks the host to save
 * exports. Live records redraw their charts at most every LIVE_REDRAW_MS (at once
 * when the panel has been quiet), however often the host reads the file: each redraw
 * is a frame of the editor's renderer, which training leaves little CPU.
 */
// First: the host's translations are in place before any module below builds text.
import { formatNumber } from '../shared/l10n';
import * as l10n from '@vscode/l10n';
import {
  isHostToMetrics,
  isMetricsPanelState,
  type HostToMetrics,
  type MetricsPanelState,
  type MetricsToHost,
  type OpenRelatedMessage,
} from '../../src/protocol/metricsPanel';
import type { PanelRun } from '../../src/protocol/panelRuns';
import { statusText } from '../../src/protocol/runStatusText';
import { connectToHost } from '../shared/hostChannel';
import { h, onThemeChange, seriesPalette } from '../shared/theme';
import { throttle } from '../../src/contract/throttle';
import { csvTooLarge, seriesToCsv } from './csv';
import { DynamicsView } from './dynamicsView';
import { FamilyChart, type ChartLook } from './familyChart';
import { ModelTab } from './modelTab';
import { SeriesStore, type FamilyId, type Series } from './seriesStore';
import { isXAxisKind, type XAxisKind } from './xAxis';

const store = new SeriesStore();
const dynamics = new DynamicsView();
const charts = new Map<FamilyId, FamilyChart>();
const LIVE_REDRAW_MS = 250;
/** The families whose records came since the last live redraw. */
const pendingFamilies = new Set<FamilyId>();
const redrawPending = throttle(() => {
  const families = new Set(pendingFamilies);
  pendingFamilies.clear();
  redraw(families);
}, LIVE_REDRAW_MS);
let runs: PanelRun[] = [];
let palette = seriesPalette();
const settings: Omit<MetricsPanelState, 'runDirs'> & { hiddenSet: Set<string> } = {
  smoothing: 0.6,
  logScale: false,
  xAxis: 'step',
  hidden: [],
  hiddenSet: new Set(),
};
store.setSmoothing(settings.smoothing);

const channel = connectToHost<HostToMetrics, MetricsToHost, MetricsPanelState>(isHostToMetrics, onMessage);
restoreState(channel.getState());

const runIndex = (runDir: string) =>
  Math.max(
    0,
    runs.findIndex((r) => r.runDir === runDir),
  );
const runLabel = (runDir: string) => runs.find((r) => r.runDir === runDir)?.label ?? runDir;
/** A compared run's short name (its name, differing settings or id), for legends. */
const runShort = (runDir: string) => {
  const run = runs.find((r) => r.runDir === runDir);
  return run?.short ?? run?.label ?? runDir;
};
const comparing = () => runs.length > 1;

const look: ChartLook = {
  get smoothing() {
    return settings.smoothing;
  },
  get logScale() {
    return settings.logScale;
  },
  get xAxis() {
    return settings.xAxis;
  },
  get hidden() {
    return settings.hiddenSet;
  },
  colorOf: (series, indexInFamily) =>
    palette[(comparing() ? runIndex(series.run) : indexInFamily) % palette.length],
  labelOf: (series) => (comparing() ? `${runShort(series.run)} · ${series.metric}` : series.metric),
  onToggle: (series) => {
    if (!settings.hiddenSet.delete(series.id)) settings.hiddenSet.add(series.id);
    saveState();
    redraw(new Set([series.family]));
  },
  onExportPng: (family, dataUrl) =>
    channel.post({ type: 'savePng', suggestedName: fileName(`${family}.png`), dataUrl }),
};

// ── controls ──────────────────────────────────────────────────────────────────
const smoothingInput = h('input', {
  type: 'range',
  id: 'smoothing',
  min: '0',
  max: '0.99',
  step: '0.01',
  'aria-label': l10n.t('Smoothing'),
});
const smoothingValue = h('output', { for: 'smoothing', id: 'smoothing-value' });
const logScale = h('vscode-checkbox', { id: 'log-scale', label: l10n.t('Log scale') });
const xAxisSelect = h(
  'vscode-single-select',
  { id: 'x-axis', 'aria-label': l10n.t('X axis') },
  h('vscode-option', { value: 'step' }, l10n.t('Step')),
  h('vscode-option', { value: 'epoch' }, l10n.t('Epoch')),
  h('vscode-option', { value: 'time' }, l10n.t('Wall time')),
);
const button = (id: string, label: string, onClick: () => void, secondary = true) => {
  const b = h('vscode-button', secondary ? { id, secondary: '' } : { id }, label);
  b.addEventListener('click', onClick);
  return b;
};
const runsBar = h('div', { class: 'runs', id: 'runs', role: 'list', 'aria-label': l10n.t('Runs shown') });
/** The time left of each run training in this window, as the status bar says it (host-worded). */
const etas = new Map<string, string>();
const status = h('div', { class: 'status', id: 'status', role: 'status', 'aria-live': 'polite' });
const chartsGrid = h('main', { class: 'charts', id: 'charts' });
const empty = h(
  'p',
  { class: 'empty', id: 'empty' },
  l10n.t('No metrics yet — waiting for the run to write metrics.jsonl…'),
);

document.body.append(
  h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Chart settings') },
    h(
      'label',
      { class: 'control', for: 'smoothing' },
      `${l10n.t('Smoothing')} `,
      smoothingInput,
      smoothingValue,
    ),
    logScale,
    h('label', { class: 'control' }, `${l10n.t('X axis')} `, xAxisSelect),
    button('reset-zoom', l10n.t('Reset zoom'), () => charts.forEach((c) => c.resetZoom())),
    button('add-run', l10n.t('Add run…'), () => channel.post({ type: 'addRun' })),
    button('export-csv', l10n.t('Export CSV'), exportCsv),
  ),
  runsBar,
  status,
  empty,
  chartsGrid,
  dynamics.element,
);
const modelTab = new ModelTab();
document.body.prepend(modelTab.tabs);
document.body.append(modelTab.view);
modelTab.select('charts');
syncControls();

smoothingInput.addEventListener('input', () => {
  settings.smoothing = Number(smoothingInput.value);
  store.setSmoothing(settings.smoothing);
  afterSettingChange();
});
logScale.addEventListener('change', () => {
  settings.logScale = logScale.checked;
  afterSettingChange();
});
xAxisSelect.addEventListener('change', () => {
  if (!isXAxisKind(xAxisSelect.value)) return;
  settings.xAxis = xAxisSelect.value;
  store.setXAxis(settings.xAxis);
  afterSettingChange();
});
onThemeChange(() => {
  palette = seriesPalette();
  renderRuns();
  redraw(new Set(charts.keys()));
  dynamics.redraw();
});

// ── host messages ─────────────────────────────────────────────────────────────

function onMessage(message: HostToMetrics): void {
  if (message.type === 'modelSummary') {
    modelTab.show(message);
    return;
  }
  if (message.type === 'runs') {
    const shown = new Set(message.runs.map((r) => r.runDir));
    for (const run of runs) if (!shown.has(run.runDir)) store.removeRun(run.runDir);
    runs = message.runs;
    saveState();
    renderRuns();
    redraw(new Set(store.families()).add('*'));
    return;
  }
  if (message.type === 'dynamics') {
    dynamics.update(message.records, message.reset);
    return;
  }
  if (message.type === 'eta') {
    etas.set(message.runDir, message.text);
    const shown = [...runsBar.querySelectorAll<HTMLElement>('.run')].find(
      (item) => item.dataset.run === message.runDir,
    );
    const eta = shown?.querySelector('.run-eta');
    if (eta) eta.textContent = message.text;
    return;
  }
  if (message.reset) store.removeRun(message.runDir);
  for (const family of store.append(message.runDir, message.records)) pendingFamilies.add(family);
  if (message.reset) pendingFamilies.add('*');
  redrawPending();
}

// ── rendering ────────────────────────────────────────────────────────────────
/** Redraws the charts of the given families ('*' = re-sync the set of charts too). */
function redraw(families: Set<FamilyId>): void {
  const all = store.families();
  if (families.has('*')) {
    for (const [family, chart] of charts) {
      if (!all.includes(family)) {
        chart.destroy();
        charts.delete(family);
      }
    }
  }
  for (const family of all) {
    let chart = charts.get(family);
    if (!chart) {
      chart = new FamilyChart(family, look);
      charts.set(family, chart);
      families.add(family);
    }
    if (families.has(family) || families.has('*')) chart.update(orderSeries(store.inFamily(family)));
  }
  // Keep cards in family order (a new family may arrive after others).
  const cards = all.map((f) => charts.get(f)!.card);
  if (cards.some((card, i) => chartsGrid.children[i] !== card)) chartsGrid.replaceChildren(...cards);
  const points = [...charts.values()].reduce((sum, c) => sum + c.pointCount, 0);
  document.body.dataset.points = String(points);
  empty.hidden = all.length > 0;
  status.textContent = pointsText(points, all.length);
}

/** "1,234 points in 3 charts", singular where it is one. */
function pointsText(points: number, charts: number): string {
  const shown = formatNumber(points);
  if (charts === 1)
    return points === 1 ? l10n.t('{0} point in 1 chart', shown) : l10n.t('{0} points in 1 chart', shown);
  return points === 1
    ? l10n.t('{0} point in {1} charts', shown, charts)
    : l10n.t('{0} points in {1} charts', shown, charts);
}

const SPLIT_ORDER = ['train', 'validation', 'test'];
function orderSeries(series: Series[]): Series[] {
  return series.sort(
    (a, b) =>
      runIndex(a.run) - runIndex(b.run) ||
      a.name.localeCompare(b.name) ||
      SPLIT_ORDER.indexOf(a.split) - SPLIT_ORDER.indexOf(b.split),
  );
}

function renderRuns(): void {
  runsBar.replaceChildren(
    ...runs.map((run, i) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.borderColor = palette[i % palette.length];
      const item = h(
        'div',
        { class: 'run', role: 'listitem', 'data-run': run.runDir },
        ...(comparing() ? [swatch, h('span', { class: 'run-short' }, runShort(run.runDir))] : []),
        h('span', { class: 'run-label' }, run.label),
        h('span', { class: `badge status-${run.status}` }, statusText(run.status)),
        h('span', { class: 'run-eta' }, etas.get(run.runDir) ?? ''),
      );
      // The first run keeps the ids its single-run panel always had; every run gets the same buttons.
      const suffix = i === 0 ? '' : `-${i}`;
      const related = (id: string, label: string, type: OpenRelatedMessage['type']) => {
        const b = button(`${id}${suffix}`, label, () => channel.post({ type, runDir: run.runDir }));
        b.setAttribute('aria-label', l10n.t('{0} of {1}', label, run.label));
        return b;
      };
      // Only the panels that have something to show for this run (an MLP has no attention maps).
      if (run.opens?.evaluation)
        item.append(related('open-evaluation', l10n.t('Evaluation'), 'openEvaluation'));
      if (run.opens?.attention) item.append(related('open-attention', l10n.t('Attention'), 'openAttention'));
      // A model with conv and recurrent layers has both inside views: then each button says which.
      const insideViews: [boolean | undefined, string, string, OpenRelatedMessage['type']][] = [
        [run.opens?.cnn, 'open-cnn-inside', l10n.t('Look Inside (CNN)'), 'openCnnInside'],
        [run.opens?.rnn, 'open-rnn-inside', l10n.t('Look Inside (LSTM/GRU)'), 'openRnnInside'],
      ];
      const offered = insideViews.filter(([applies]) => applies);
      for (const [, id, named, type] of offered)
        item.append(related(id, offered.length > 1 ? named : l10n.t('Look Inside'), type));
      if (comparing()) {
        const remove = button(`remove-${i}`, l10n.t('Remove'), () =>
          channel.post({ type: 'removeRun', runDir: run.runDir }),
        );
        remove.setAttribute('aria-label', l10n.t('Remove {0} from the comparison', run.label));
        item.append(remove);
      }
      return item;
    }),
  );
}

function afterSettingChange(): void {
  syncControls();
  saveState();
  redraw(new Set(charts.keys()));
}

function syncControls(): void {
  smoothingInput.value = String(settings.smoothing);
  smoothingValue.textContent = settings.smoothing.toFixed(2);
  logScale.checked = settings.logScale;
  xAxisSelect.value = settings.xAxis;
}

// ── exports and state ────────────────────────────────────────────────────────
function exportCsv(): void {
  const shown = store.all().filter((s) => !settings.hiddenSet.has(s.id));
  const csv = seriesToCsv(orderSeries(shown), runLabel, settings.smoothing > 0);
  const tooLarge = csvTooLarge(csv.length);
  if (tooLarge) {
    status.textContent = tooLarge;
    return;
  }
  channel.post({ type: 'saveCsv', suggestedName: fileName('metrics.csv'), csv });
}

/** "<experiment>-<run>-<what>", reduced to characters the host accepts in a file name. */
function fileName(what: string): string {
  const base = runs[0] ? runs[0].label : 'run';
  return `${base}-${what}`.replace(/[^\w.\- ]+/g, '-').slice(0, 120);
}

function saveState(): void {
  settings.hidden = [...settings.hiddenSet];
  channel.setState({
    runDirs: runs.map((r) => r.runDir),
    smoothing: settings.smoothing,
    logScale: settings.logScale,
    xAxis: settings.xAxis,
    hidden: settings.hidden,
  });
}

function restoreState(state: unknown): void {
  if (!isMetricsPanelState(state)) return;
  settings.smoothing = state.smoothing;
  settings.logScale = state.logScale;
  settings.xAxis = state.xAxis as XAxisKind;
  settings.hiddenSet = new Set(state.hidden);
  store.setSmoothing(settings.smoothing);
  store.setXAxis(settings.xAxis);
}
