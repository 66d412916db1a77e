/**
 * The focused run under the table: its name, tags and notes to edit (saved in run.json by
 * the host), and what to open for it. Fields keep what the user typed while the row updates
 * live; they are refilled only when another run gets the focus or its name, tags or notes
 * change in run.json (a save coming back).
 */
import * as l10n from '@vscode/l10n';
import { ANNOTATION_LIMITS, type RunPanelKind } from '../../src/protocol/runsTablePanel';
import type { RunRow } from '../../src/contract/runTable/runRow';
import { statusText } from '../../src/protocol/runStatusText';
import { h } from '../shared/theme';
import { parseTags } from './tags';

export interface DetailsEvents {
  onSave(runDir: string, annotations: { name: string; tags: string[]; notes: string }): void;
  onOpen(runDir: string, panel: RunPanelKind): void;
  onReveal(runDir: string): void;
  onDelete(runDir: string): void;
}

interface TextInput extends HTMLElement {
  value: string;
}

export class DetailsPane {
  readonly element = h('section', { class: 'details', 'data-testid': 'run-details', hidden: '' });
  private readonly heading = h('h2', { 'data-testid': 'details-heading' });
  private readonly nameField = h('vscode-textfield', {
    'data-testid': 'edit-name',
    maxlength: String(ANNOTATION_LIMITS.name),
    'aria-label': l10n.t('Run name'),
  }) as unknown as TextInput;
  private readonly tagsField = h('vscode-textfield', {
    'data-testid': 'edit-tags',
    placeholder: l10n.t('baseline, keep'),
    'aria-label': l10n.t('Tags, separated by commas'),
  }) as unknown as TextInput;
  private readonly notesField = h('vscode-textarea', {
    'data-testid': 'edit-notes',
    rows: '3',
    maxlength: String(ANNOTATION_LIMITS.notes),
    'aria-label': l10n.t('Notes'),
  }) as unknown as TextInput;
  private readonly openButtons = h('div', { class: 'actions' });
  private shown: string | undefined;
  /** The name, tags and notes the fields were last filled from. */
  private filledFrom = '';

  constructor(private readonly events: DetailsEvents) {
    const save = h('vscode-button', { 'data-testid': 'save-annotations' }, l10n.t('Save'));
    save.addEventListener('click', () => this.save());
    this.nameField.addEventListener('keydown', (event) => {
      if ((event as KeyboardEvent).key === 'Enter') this.save();
    });
    this.element.append(
      this.heading,
      h(
        'div',
        { class: 'fields' },
        h('label', {}, l10n.t('Name'), this.nameField as unknown as HTMLElement),
        h('label', {}, l10n.t('Tags'), this.tagsField as unknown as HTMLElement),
        h('label', { class: 'notes' }, l10n.t('Notes'), this.notesField as unknown as HTMLElement),
      ),
      h('div', { class: 'actions' }, save, this.openButtons),
    );
  }

  /** Shows `row`; undefined hides the pane. */
  show(row: RunRow | undefined): void {
    this.element.hidden = row === undefined;
    if (!row) {
      this.shown = undefined;
      return;
    }
    this.heading.textContent = `${row.name} · ${row.experiment} / ${row.id} · ${statusText(row.status)}`;
    const annotations = JSON.stringify([row.name, row.tags, row.notes]);
    if (this.shown !== row.runDir || this.filledFrom !== annotations) {
      this.filledFrom = annotations;
      this.nameField.value = row.name === row.id ? '' : row.name;
      this.nameField.setAttribute('placeholder', row.id);
      this.tagsField.value = row.tags.join(', ');
      this.notesField.value = row.notes;
    }
    this.shown = row.runDir;
    const button = (label: string, testId: string, onClick: () => void) => {
      const b = h('vscode-button', { secondary: '', 'data-testid': testId }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    const runDir = row.runDir;
    this.openButtons.replaceChildren(
      button(l10n.t('Metrics'), 'open-metrics', () => this.events.onOpen(runDir, 'metrics')),
      ...(row.has.evaluation
        ? [button(l10n.t('Evaluation'), 'open-evaluation', () => this.events.onOpen(runDir, 'evaluation'))]
        : []),
      ...(row.has.attention
        ? [button(l10n.t('Attention'), 'open-attention', () => this.events.onOpen(runDir, 'attention'))]
        : []),
      button(l10n.t('Reveal Folder'), 'reveal-run', () => this.events.onReveal(runDir)),
      button(l10n.t('Delete…'), 'delete-run', () => this.events.onDelete(runDir)),
    );
  }

  private save(): void {
    if (!this.shown) return;
    this.events.onSave(this.shown, {
      name: this.nameField.value.replace(/[\r\n]+/g, ' ').slice(0, ANNOTATION_LIMITS.name),
      tags: parseTags(this.tagsField.value).map((tag) => tag.slice(0, ANNOTATION_LIMITS.tag)),
      notes: this.notesField.value.slice(0, ANNOTATION_LIMITS.notes),
    });
  }
}
