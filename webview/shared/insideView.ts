/**
 * Pieces the inside views (CNN, LSTM/GRU) share: their title, checkpoint and error lines, the
 * test-example picker, its arrow keys and the line that names the checkpoint the model answers with.
 */
import * as l10n from '@vscode/l10n';
import type { PlaygroundModelInfo } from '../../src/protocol/playground';
import { h } from './theme';

export interface InsideHeader {
  /** "Look Inside", then "Look Inside — <run>". */
  readonly title: HTMLElement;
  /** Which checkpoint the model answers with (`showCheckpoint`). */
  readonly status: HTMLElement;
  /** The last request's failure; hidden while there is none. */
  readonly failure: HTMLElement;
}

/** The header elements of view `name` (`cnn`, `rnn`: their ids are `<name>-title`, `<name>-failure`). */
export function insideHeader(name: string): InsideHeader {
  return {
    title: h('h1', { id: `${name}-title` }, l10n.t('Look Inside')),
    status: h('p', { class: 'hint', id: 'checkpoint-status', role: 'status', 'aria-live': 'polite' }),
    failure: h('p', { class: 'error', id: `${name}-failure`, role: 'alert', hidden: '' }),
  };
}

export interface ExamplePicker {
  readonly previous: HTMLElement;
  readonly next: HTMLElement;
  readonly input: HTMLInputElement;
  /** "of 0–N" once the test split's size is known. */
  readonly range: HTMLElement;
  /** Previous, the labelled index box, the range and Next, in toolbar order. */
  readonly controls: HTMLElement[];
}

export function examplePicker(): ExamplePicker {
  const previous = h('vscode-button', { id: 'previous-example', secondary: '' }, l10n.t('Previous'));
  const next = h('vscode-button', { id: 'next-example', secondary: '' }, l10n.t('Next'));
  const input = h('input', {
    id: 'example',
    type: 'number',
    min: '0',
    step: '1',
    value: '0',
    'aria-label': l10n.t('Test example'),
  });
  const range = h('span', { id: 'example-range', class: 'hint' });
  const label = h('label', { class: 'control', for: 'example' }, `${l10n.t('Test example')} `, input);
  return { previous, next, input, range, controls: [previous, label, range, next] };
}

/**
 * Left and right arrows step one test example back or on (`step(-1)`, `step(1)`), except while
 * typing into a field (an index, a name), where they move the caret.
 */
export function stepWithArrowKeys(step: (delta: -1 | 1) => void): void {
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLInputElement || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowLeft') step(-1);
    else if (event.key === 'ArrowRight') step(1);
  });
}

/** Names the loaded checkpoint in `status`, and on the body for tests (data-checkpoint, data-step). */
export function showCheckpoint(status: HTMLElement, info: PlaygroundModelInfo): void {
  status.textContent =
    info.checkpoint === 'best'
      ? l10n.t('Weights of the best checkpoint, step {0}; the view follows newer checkpoints.', info.step)
      : l10n.t(
          'Weights of the last checkpoint, step {0} (no best checkpoint saved); the view follows newer checkpoints.',
          info.step,
        );
  document.body.dataset.checkpoint = info.checkpoint;
  document.body.dataset.step = String(info.step);
}
