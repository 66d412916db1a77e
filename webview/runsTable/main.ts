/**
 * Runs table webview: every run with its settings and results. The host sends all rows once,
 * then the rows that change; filtering, sorting and column choice happen here, on the rows
 * held, so a key press never waits on the host. View settings live in getState/setState.
 */
// First: the host's translations are in place before any module below builds text.
import '../shared/l10n';
import * as l10n from '@vscode/l10n';
import '../shared/elements';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import { metricKeys, type ColumnKey } from '../../src/contract/runTable/columns';
import { columnTitle, shortSettingNames } from '../../src/contract/runTable/columnTitles';
import { filterRows } from '../../src/contract/runTable/filterRows';
import { scoreKeys } from '../../src/contract/runTable/metricColumns';
import type { RunRow } from '../../src/contract/runTable/runRow';
import { DEFAULT_SORT, sortRows } from '../../src/contract/runTable/sortRows';
import {
  isHostToRunsTable,
  isRunsTableState,
  type HostToRunsTable,
  type RunsTableLayout,
  type RunsTableState,
  type RunsTableToHost,
} from '../../src/protocol/runsTablePanel';
import { statusText } from '../../src/protocol/runStatusText';
import { connectToHost } from '../shared/hostChannel';
import { h, onThemeChange } from '../shared/theme';
import { columnWords } from '../../src/protocol/runTableColumnWords';
import { DetailsPane } from './detailsPane';
import { ParallelCoordinates } from './parallelCoordinates';
import { RowStore } from './rowStore';
import { TableView } from './tableView';
import { availableColumns, chooseColumn, defaultColumns, visibleColumns } from './visibleColumns';

const words = columnWords();
const store = new RowStore();
let loaded = false;
const state: RunsTableState = {
  query: '',
  statuses: [],
  experiments: [],
  sort: DEFAULT_SORT,
  hidden: [],
  added: [],
};
const selected = new Set<string>();
let focused: string | undefined;

const channel = connectToHost<HostToRunsTable, RunsTableToHost, RunsTableState>(isHostToRunsTable, onMessage);
const saved = channel.getState();
/** A reloaded panel keeps its own state; a newly opened one takes the workspace's layout from the host. */
const restored = isRunsTableState(saved);
if (restored) Object.assign(state, saved);
const layoutOf = ({ sort, hidden, added }: RunsTableState): RunsTableLayout => ({ sort, hidden, added });
let savedLayout = JSON.stringify(layoutOf(state));
const saveState = (): void => {
  channel.setState({ ...state });
  const layout = layoutOf(state);
  if (JSON.stringify(layout) === savedLayout) return;
  savedLayout = JSON.stringify(layout);
  channel.post({ type: 'saveLayout', layout });
};

// ── controls ──────────────────────────────────────────────────────────────────
interface TextInput extends HTMLElement {
  value: string;
}
const query = h('vscode-textfield', {
  'data-testid': 'runs-query',
  placeholder: l10n.t('Filter: words, tags, notes, learningRate=0.001'),
  'aria-label': l10n.t('Filter runs'),
}) as unknown as TextInput;
query.value = state.query;
query.addEventListener('input', () => {
  state.query = query.value;
  saveState();
  render();
});
const statusChips = h('div', { class: 'chips', role: 'group', 'aria-label': l10n.t('Status filter') });
const experimentSelect = h('vscode-single-select', {
  'data-testid': 'experiment-filter',
  'aria-label': l10n.t('Experiment filter'),
}) as unknown as TextInput;
experimentSelect.addEventListener('change', () => {
  state.experiments = experimentSelect.value ? [experimentSelect.value] : [];
  saveState();
  render();
});
const count = h('span', {
  class: 'count',
  'data-testid': 'runs-count',
  role: 'status',
  'aria-live': 'polite',
});
const columnChooser = h('div', { class: 'column-chooser', 'data-testid': 'column-chooser', hidden: '' });
const button = (label: string, testId: string, onClick: () => void, secondary = true): HTMLElement => {
  const b = h(
    'vscode-button',
    secondary ? { secondary: '', 'data-testid': testId } : { 'data-testid': testId },
    label,
  );
  b.addEventListener('click', onClick);
  return b;
};
const selectionText = h('span', { 'data-testid': 'selection-count' });
const compareButton = button(l10n.t('Compare'), 'compare-selected', () =>
  channel.post({ type: 'compare', runDirs: [...selected] }),
);
const diffButton = button(l10n.t('Diff Configs'), 'diff-configs', () => {
  const [left, right] = [...selected];
  channel.post({ type: 'diffConfigs', runDirs: [left, right] });
});
const deleteButton = button(l10n.t('Delete…'), 'delete-selected', () =>
  channel.post({ type: 'delete', runDirs: [...selected] }),
);
const selectionBar = h(
  'div',
  { class: 'selection', 'data-testid': 'selection-bar' },
  selectionText,
  compareButton,
  diffButton,
  deleteButton,
  button(l10n.t('Clear'), 'clear-selection', () => {
    selected.clear();
    render();
  }),
);
const empty = h('p', { class: 'empty', 'data-testid': 'runs-empty', hidden: '' });

const table = new TableView({
  onSort(column) {
    state.sort =
      state.sort.column === column
        ? { column, descending: !state.sort.descending }
        : { column, descending: column !== 'name' && column !== 'experiment' };
    saveState();
    render();
  },
  onToggleSelect(runDir) {
    if (!selected.delete(runDir)) selected.add(runDir);
    render();
  },
  onToggleAll(select) {
    for (const row of shownRows) {
      if (select) selected.add(row.runDir);
      else selected.delete(row.runDir);
    }
    render();
  },
  onFocus(runDir) {
    focused = runDir;
    render();
  },
});
const parallel = new ParallelCoordinates(state.chartMetric, (metric) => {
  state.chartMetric = metric;
  saveState();
});
// Canvases do not follow CSS: redraw in the new theme's colours.
onThemeChange(() => parallel.redraw());
const details = new DetailsPane({
  onSave: (runDir, annotations) => channel.post({ type: 'annotate', runDir, ...annotations }),
  onOpen: (runDir, panel) => channel.post({ type: 'openPanel', runDir, panel }),
  onReveal: (runDir) => channel.post({ type: 'reveal', runDir }),
  onDelete: (runDir) => channel.post({ type: 'delete', runDirs: [runDir] }),
});

document.body.append(
  h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': l10n.t('Runs table filters') },
    query,
    statusChips,
    h('label', { class: 'control' }, l10n.t('Experiment'), ' ', experimentSelect),
    button(l10n.t('Columns…'), 'choose-columns', () => {
      columnChooser.hidden = !columnChooser.hidden;
      render();
    }),
    count,
  ),
  columnChooser,
  selectionBar,
  empty,
  parallel.element,
  table.element,
  details.element,
);

// ── rendering ────────────────────────────────────────────────────────────────
let shownRows: RunRow[] = [];

function render(): void {
  const rows = store.all();
  const filtered = filterRows(rows, state);
  shownRows = sortRows(filtered, state.sort);
  const columns = visibleColumns(filtered, state);
  const settingNames = shortSettingNames(
    columns.filter((c) => c.startsWith('setting:')).map((c) => c.slice('setting:'.length)),
  );
  for (const runDir of selected) if (!store.get(runDir)) selected.delete(runDir);
  table.render({ rows: shownRows, columns, sort: state.sort, selected, focused, settingNames, words });
  count.textContent =
    rows.length === 1
      ? l10n.t('{0} of {1} run', shownRows.length, rows.length)
      : l10n.t('{0} of {1} runs', shownRows.length, rows.length);
  empty.hidden = !loaded || shownRows.length > 0;
  empty.textContent =
    rows.length === 0
      ? l10n.t(
          'No runs yet. Train an experiment, or add folders of runs with the modelLab.runFolders setting.',
        )
      : l10n.t('No run matches the filters.');
  renderStatusChips(rows);
  renderExperimentOptions(rows);
  if (!columnChooser.hidden) renderColumnChooser(filtered, columns, settingNames);
  selectionBar.hidden = selected.size === 0;
  selectionText.textContent = l10n.t('{0} selected', selected.size);
  compareButton.toggleAttribute('disabled', selected.size < 2);
  diffButton.toggleAttribute('disabled', selected.size !== 2);
  details.show(focused === undefined ? undefined : store.get(focused));
  // The selected runs when two or more are ticked, otherwise every run shown.
  const chosen = shownRows.filter((row) => selected.has(row.runDir));
  const scores = scoreKeys(metricKeys(filtered));
  parallel.update(
    [...scores.map((key): ColumnKey => `final:${key}`), ...scores.map((key): ColumnKey => `best:${key}`)],
    chosen.length >= 2 ? chosen : shownRows,
    focused,
  );
}

function renderStatusChips(rows: readonly RunRow[]): void {
  const statuses = [...new Set(rows.map((row) => row.status))].sort();
  const key = statuses.join() + '|' + state.statuses.join();
  if (statusChips.dataset.key === key) return;
  statusChips.dataset.key = key;
  statusChips.replaceChildren(
    ...statuses.map((status) => {
      const pressed = state.statuses.includes(status);
      const chip = h(
        'button',
        { class: 'chip', 'aria-pressed': String(pressed), 'data-testid': `status-${status}` },
        statusText(status),
      );
      chip.addEventListener('click', () => {
        state.statuses = pressed ? state.statuses.filter((s) => s !== status) : [...state.statuses, status];
        saveState();
        render();
      });
      return chip;
    }),
  );
}

function renderExperimentOptions(rows: readonly RunRow[]): void {
  const experiments = [...new Set(rows.map((row) => row.experiment))].sort();
  const key = experiments.join('\n');
  if (experimentSelect.dataset.key === key) return;
  experimentSelect.dataset.key = key;
  const current = state.experiments[0] ?? '';
  experimentSelect.replaceChildren(
    h('vscode-option', { value: '' }, l10n.t('All experiments')),
    ...experiments.map((name) => h('vscode-option', { value: name }, name)),
  );
  experimentSelect.value = current;
}

function renderColumnChooser(
  rows: readonly RunRow[],
  shown: readonly ColumnKey[],
  settingNames: ReadonlyMap<string, string>,
): void {
  const visible = new Set(shown);
  const defaults = new Set(defaultColumns(rows));
  columnChooser.replaceChildren(
    ...availableColumns(rows).map((column) => {
      const box = h('input', { type: 'checkbox' });
      box.checked = visible.has(column);
      box.addEventListener('change', () => {
        Object.assign(state, chooseColumn(state, column, box.checked, defaults.has(column)));
        saveState();
        render();
      });
      const title = column.startsWith('setting:')
        ? column.slice('setting:'.length)
        : columnTitle(column, settingNames, words);
      return h('label', { 'data-testid': `choose-${column}` }, box, ' ', title);
    }),
  );
}

function onMessage(message: HostToRunsTable): void {
  if (message.type === 'layout') {
    if (restored) return;
    Object.assign(state, message.layout);
    savedLayout = JSON.stringify(layoutOf(state));
    channel.setState({ ...state });
    render();
    return;
  }
  if (message.type === 'allRows') store.replace(message.rows);
  else store.apply(message.changed, message.removed);
  loaded = true;
  render();
}

render();
