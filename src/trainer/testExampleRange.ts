// The inside views pick a test example by its position in the test split.
import * as l10n from '@vscode/l10n';

/** Refuses `example` past the test split, naming the range the user can pick from. */
export function checkTestExample(experiment: string, example: number, count: number): void {
  if (example >= count)
    throw new Error(
      l10n.t('{0} has {1} test examples: pick one from 0 to {2}.', experiment, count, count - 1),
    );
}
