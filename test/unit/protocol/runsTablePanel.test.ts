import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isRunRow } from '../../../src/contract/runTable/runRow';
import {
  ANNOTATION_LIMITS,
  isAllRowsMessage,
  isAnnotateMessage,
  isCompareMessage,
  isDeleteMessage,
  isDiffConfigsMessage,
  isHostToRunsTable,
  isOpenPanelMessage,
  isRowChangesMessage,
  isRunsTableLayout,
  isRunsTableState,
  isSaveLayoutMessage,
} from '../../../src/protocol/runsTablePanel';
import { rowFixture } from '../../fixtures/runRow';

test('a row passes its guard whole; a mistyped field anywhere fails it', () => {
  const row = rowFixture({ settings: { 'training.batchSize': 4, task: 'x', flag: true, none: null } });
  assert.equal(isRunRow(row), true);
  assert.equal(isRunRow({ ...row, status: 'exploded' }), false);
  assert.equal(isRunRow({ ...row, settings: { a: { nested: 1 } } }), false);
  assert.equal(isRunRow({ ...row, final: { 'train/loss': '0.5' } }), false);
  assert.equal(isRunRow({ ...row, best: { 'train/loss': Number.NaN } }), false);
  assert.equal(isRunRow({ ...row, tags: ['ok', 3] }), false);
  assert.equal(isRunRow({ ...row, has: { evaluation: 'yes', attention: false } }), false);
  assert.equal(isAllRowsMessage({ type: 'allRows', rows: [row] }), true);
  assert.equal(isRowChangesMessage({ type: 'rowChanges', changed: [row], removed: ['/x'] }), true);
  assert.equal(
    isRowChangesMessage({ type: 'rowChanges', changed: [{ ...row, name: 1 }], removed: [] }),
    false,
  );
});

test('annotations: one line names, tags without commas, bounded sizes; at least one field', () => {
  const runDir = '/w/.modellab/runs/a/1';
  assert.equal(isAnnotateMessage({ type: 'annotate', runDir, name: 'baseline' }), true);
  assert.equal(isAnnotateMessage({ type: 'annotate', runDir, name: '' }), true);
  assert.equal(isAnnotateMessage({ type: 'annotate', runDir, tags: ['a', 'b'], notes: 'line\nline' }), true);
  assert.equal(isAnnotateMessage({ type: 'annotate', runDir }), false);
  assert.equal(isAnnotateMessage({ type: 'annotate', runDir, name: 'two\nlines' }), false);
  assert.equal(
    isAnnotateMessage({ type: 'annotate', runDir, name: 'x'.repeat(ANNOTATION_LIMITS.name + 1) }),
    false,
  );
  assert.equal(isAnnotateMessage({ type: 'annotate', runDir, tags: ['a,b'] }), false);
  assert.equal(isAnnotateMessage({ type: 'annotate', runDir, tags: [' '] }), false);
  assert.equal(
    isAnnotateMessage({ type: 'annotate', runDir, tags: Array(ANNOTATION_LIMITS.tags + 1).fill('t') }),
    false,
  );
  assert.equal(
    isAnnotateMessage({ type: 'annotate', runDir, notes: 'x'.repeat(ANNOTATION_LIMITS.notes + 1) }),
    false,
  );
  assert.equal(isAnnotateMessage({ type: 'annotate', runDir: 7, name: 'x' }), false);
});

test('actions name distinct folders: compare two or more, diff exactly two, delete one or more', () => {
  assert.equal(isCompareMessage({ type: 'compare', runDirs: ['/a', '/b'] }), true);
  assert.equal(isCompareMessage({ type: 'compare', runDirs: ['/a'] }), false);
  assert.equal(isCompareMessage({ type: 'compare', runDirs: ['/a', '/a'] }), false);
  assert.equal(isDiffConfigsMessage({ type: 'diffConfigs', runDirs: ['/a', '/b'] }), true);
  assert.equal(isDiffConfigsMessage({ type: 'diffConfigs', runDirs: ['/a', '/b', '/c'] }), false);
  assert.equal(isDeleteMessage({ type: 'delete', runDirs: ['/a'] }), true);
  assert.equal(isDeleteMessage({ type: 'delete', runDirs: [] }), false);
  assert.equal(isOpenPanelMessage({ type: 'openPanel', runDir: '/a', panel: 'evaluation' }), true);
  assert.equal(isOpenPanelMessage({ type: 'openPanel', runDir: '/a', panel: 'terminal' }), false);
});

test('the saved view state is checked before it is used', () => {
  const state = {
    query: 'lr',
    statuses: ['completed'],
    experiments: [],
    sort: { column: 'final:validation/accuracy', descending: true },
    hidden: ['device'],
    added: ['setting:training.batchSize'],
  };
  assert.equal(isRunsTableState(state), true);
  assert.equal(isRunsTableState({ ...state, sort: { column: 'bogus', descending: true } }), false);
  assert.equal(isRunsTableState({ ...state, hidden: ['final:'] }), false);
  assert.equal(isRunsTableState({ ...state, query: undefined }), false);
});

test('the layout kept across reopening the table is checked both ways: sort and columns only', () => {
  const layout = {
    sort: { column: 'setting:training.optimizer.learningRate', descending: false },
    hidden: ['device'],
    added: ['best:train/loss'],
  };
  assert.equal(isRunsTableLayout(layout), true);
  assert.equal(isSaveLayoutMessage({ type: 'saveLayout', layout }), true);
  assert.equal(isHostToRunsTable({ type: 'layout', layout }), true);
  assert.equal(isSaveLayoutMessage({ type: 'saveLayout', layout: { ...layout, added: ['nope'] } }), false);
  assert.equal(isSaveLayoutMessage({ type: 'saveLayout', layout: { ...layout, sort: undefined } }), false);
  assert.equal(isHostToRunsTable({ type: 'layout', layout: { ...layout, hidden: 'device' } }), false);
});
