/**
 * The table itself: a header per column (click to sort, again to reverse), a row per run
 * with a selection checkbox. Only the rows in view (and a margin) are in the DOM, between two
 * spacer rows that keep the scroll height: rows have one fixed height and columns fixed
 * widths measured from all rows' text, so scrolling never reflows the table. At 2,000 runs a
 * key press or a live update then costs a few dozen rows of DOM (bench/runs-table.mjs).
 */
import { cellValue, type ColumnKey } from '../../src/contract/runTable/columns';
import * as l10n from '@vscode/l10n';
import { columnTitle, type ColumnWords } from '../../src/contract/runTable/columnTitles';
import { formatCell } from '../../src/contract/runTable/formatCell';
import type { RunRow } from '../../src/contract/runTable/runRow';
import type { RowSort } from '../../src/contract/runTable/sortRows';
import { statusText } from '../../src/protocol/runStatusText';
import { timeWords } from '../../src/protocol/timeText';
import { displayLanguage } from '../shared/l10n';
import { h } from '../shared/theme';
import { textWidth } from '../../src/contract/runTable/textWidth';

export interface TableModel {
  rows: readonly RunRow[];
  columns: readonly ColumnKey[];
  sort: RowSort;
  selected: ReadonlySet<string>;
  focused: string | undefined;
  settingNames: ReadonlyMap<string, string>;
  /** Header words in the display language (columnWords). */
  words: ColumnWords;
}

export interface TableEvents {
  onSort(column: ColumnKey): void;
  onToggleSelect(runDir: string): void;
  onToggleAll(select: boolean): void;
  onFocus(runDir: string): void;
}

/** Must match `.runs-table tbody tr` height in media/runsTable.css. */
const ROW_HEIGHT = 24;
/** Rows drawn above and below the visible ones, so a quick scroll shows no gap. */
const MARGIN_ROWS = 20;
/** Widest column, in characters; longer text is cut with an ellipsis (the full text is in the tooltip). */
const MAX_COLUMN_CHARS = 40;

export class TableView {
  /** The scrolling box; the table lives inside it. */
  readonly element = h('div', { class: 'table-scroll' });
  private readonly table = h('table', { class: 'runs-table', 'data-testid': 'runs-table' });
  private readonly columns = h('colgroup');
  private readonly head = h('thead');
  private readonly body = h('tbody');
  private model: TableModel | undefined;
  private drawn = '';
  private frame = 0;

  constructor(events: TableEvents) {
    this.table.append(this.columns, this.head, this.body);
    this.element.append(this.table);
    this.element.addEventListener('scroll', () => {
      this.frame ||= requestAnimationFrame(() => {
        this.frame = 0;
        this.drawRows(false);
      });
    });
    // One listener each, whatever the number of rows.
    this.head.addEventListener('click', (event) => {
      const target = event.target as HTMLElement;
      if (target instanceof HTMLInputElement) {
        events.onToggleAll(target.checked);
        return;
      }
      const column = target.closest('th')?.dataset.column;
      if (column) events.onSort(column as ColumnKey);
    });
    this.head.addEventListener('keydown', (event) => {
      const column = (event.target as HTMLElement).closest('th')?.dataset.column;
      if (column && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        events.onSort(column as ColumnKey);
      }
    });
    this.body.addEventListener('click', (event) => {
      const target = event.target as HTMLElement;
      const runDir = target.closest('tr')?.dataset.runDir;
      if (!runDir) return;
      if (target instanceof HTMLInputElement) events.onToggleSelect(runDir);
      else events.onFocus(runDir);
    });
  }

  render(model: TableModel): void {
    this.model = model;
    this.table.dataset.rows = String(model.rows.length);
    this.drawHeader(model);
    this.drawRows(true);
  }

  private drawHeader(model: TableModel): void {
    const allSelected = model.rows.length > 0 && model.rows.every((row) => model.selected.has(row.runDir));
    const selectAll = h('input', { type: 'checkbox', 'aria-label': l10n.t('Select all shown runs') });
    selectAll.checked = allSelected;
    const headerRow = h('tr', {}, h('th', { class: 'select' }, selectAll));
    for (const column of model.columns) {
      const sorted = model.sort.column === column;
      const title = columnTitle(column, model.settingNames, model.words);
      headerRow.append(
        h(
          'th',
          {
            'data-column': column,
            'data-testid': `column-${column}`,
            tabindex: '0',
            title: column.replace(/^setting:/, ''),
            'aria-sort': sorted ? (model.sort.descending ? 'descending' : 'ascending') : 'none',
          },
          title,
          sorted ? (model.sort.descending ? ' ▼' : ' ▲') : '',
        ),
      );
    }
    this.head.replaceChildren(headerRow);
    this.columns.replaceChildren(
      h('col', { style: 'width: 2.2em' }),
      ...model.columns.map((column) => h('col', { style: `width: ${columnWidth(model, column)}ch` })),
    );
    this.table.style.width = 'max-content';
  }

  /** The rows in view; `always` redraws even when the same slice is shown (the rows changed). */
  private drawRows(always: boolean): void {
    const model = this.model;
    if (!model) return;
    const visible = Math.ceil((this.element.clientHeight || 600) / ROW_HEIGHT);
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - MARGIN_ROWS);
    const last = Math.min(model.rows.length, first + visible + 2 * MARGIN_ROWS);
    const slice = `${first}:${last}`;
    if (!always && slice === this.drawn) return;
    this.drawn = slice;
    const spacer = (rows: number): HTMLTableRowElement => {
      const tr = h('tr', { class: 'spacer', 'aria-hidden': 'true' });
      tr.style.height = `${rows * ROW_HEIGHT}px`;
      return tr;
    };
    const fragment = document.createDocumentFragment();
    fragment.append(spacer(first));
    for (const row of model.rows.slice(first, last)) {
      const checkbox = h('input', { type: 'checkbox', 'aria-label': l10n.t('Select {0}', row.name) });
      checkbox.checked = model.selected.has(row.runDir);
      const tr = h('tr', { 'data-testid': 'run-row' }, h('td', { class: 'select' }, checkbox));
      tr.dataset.runDir = row.runDir;
      if (checkbox.checked) tr.classList.add('selected');
      if (row.runDir === model.focused) tr.classList.add('focused');
      for (const column of model.columns) {
        const value = cellValue(row, column);
        const td = h('td', {}, cellText(row, column));
        if (typeof value === 'number') td.classList.add('number');
        if (column === 'status') td.classList.add(`status-${row.status}`);
        // Cut text shows whole on hover; a name also says which run folder it is, a start its year.
        td.title =
          column === 'name'
            ? `${row.experiment} / ${row.id}`
            : column === 'start' && typeof value === 'string'
              ? time.fullDateTime(value)
              : (td.textContent ?? '');
        if (column === 'name') td.dataset.testid = 'run-name';
        if (column === 'start') td.dataset.testid = 'run-start';
        tr.append(td);
      }
      fragment.append(tr);
    }
    fragment.append(spacer(model.rows.length - last));
    this.body.replaceChildren(fragment);
  }
}

/** A column's width in characters: its widest text over every row (not only those drawn), bounded. */
function columnWidth(model: TableModel, column: ColumnKey): number {
  let widest = textWidth(columnTitle(column, model.settingNames, model.words)) + 2;
  for (const row of model.rows) widest = Math.max(widest, textWidth(cellText(row, column)));
  return Math.min(MAX_COLUMN_CHARS, widest) + 2;
}

/** Starts and durations as VS Code's display language writes them, this year's starts without the year. */
const time = timeWords(displayLanguage, () => new Date());

/** A cell as shown: the status, start and duration in the display language (run.json keeps the English status). */
function cellText(row: RunRow, column: ColumnKey): string {
  return column === 'status' ? statusText(row.status) : formatCell(column, cellValue(row, column), time);
}
