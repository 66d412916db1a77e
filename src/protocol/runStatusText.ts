/**
 * A run status as people read it, in the display language: the Runs view and the panels show it;
 * run.json and the messages between processes keep the English word.
 */
import * as l10n from '@vscode/l10n';
import type { RunStatus } from '../contract/runStatus';

export function statusText(status: RunStatus | 'unknown' | undefined): string {
  switch (status) {
    case 'queued':
      return l10n.t('queued');
    case 'running':
      return l10n.t('running');
    case 'completed':
      return l10n.t('completed');
    case 'stopped':
      return l10n.t('stopped');
    case 'failed':
      return l10n.t('failed');
    case 'interrupted':
      return l10n.t('interrupted');
    default:
      return l10n.t('unknown');
  }
}
