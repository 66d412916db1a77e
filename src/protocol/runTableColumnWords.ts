/**
 * The runs table's column headers in the display language, for the table panel and
 * `model-lab runs` alike. Setting paths and metric keys stay as written (`learningRate`,
 * `validation/accuracy`): they are what the filter and the experiment file say.
 */
import * as l10n from '@vscode/l10n';
import type { ColumnWords } from '../contract/runTable/columnTitles';

export function columnWords(): ColumnWords {
  return {
    fixed: {
      name: l10n.t('Name'),
      experiment: l10n.t('Experiment'),
      status: l10n.t('Status'),
      start: l10n.t('Started'),
      duration: l10n.t('Duration'),
      device: l10n.t('Device'),
      tags: l10n.t('Tags'),
    },
    best: (metricKey) => l10n.t('best {0}', metricKey),
  };
}
