/**
 * Training runs code on the user's data and writes into the workspace, so it
 * is refused in untrusted workspaces, with an explanation and a way to grant
 * trust. Kept apart from `vscode` so the refusal is unit-tested.
 */
import * as l10n from '@vscode/l10n';

export const untrustedMessage = (): string =>
  l10n.t(
    'Model Lab trains only in trusted workspaces: training reads your data and writes run folders in this workspace. Trust the workspace to train; finished runs stay viewable.',
  );
export const manageTrustAction = (): string => l10n.t('Manage Workspace Trust');

export interface TrustUi {
  isTrusted: boolean;
  showWarning(message: string, action: string): PromiseLike<string | undefined>;
  manageTrust(): PromiseLike<unknown>;
}

/** True when training may start; otherwise explains why not and offers the trust dialog. */
export async function mayTrain(ui: TrustUi): Promise<boolean> {
  if (ui.isTrusted) return true;
  const action = manageTrustAction();
  if ((await ui.showWarning(untrustedMessage(), action)) === action) await ui.manageTrust();
  return false;
}
