/**
 * Training runs code on the user's data and writes into the workspace, so it
 * is refused in untrusted workspaces, with an explanation and a way to grant
 * trust. Kept apart from `vscode` so the refusal is unit-tested.
 */
export const UNTRUSTED_MESSAGE =
  'Model Lab trains only in trusted workspaces: training reads your data and writes run folders in this workspace. Trust the workspace to train; finished runs stay viewable.';
export const MANAGE_TRUST = 'Manage Workspace Trust';

export interface TrustUi {
  isTrusted: boolean;
  showWarning(message: string, action: string): PromiseLike<string | undefined>;
  manageTrust(): PromiseLike<unknown>;
}

/** True when training may start; otherwise explains why not and offers the trust dialog. */
export async function mayTrain(ui: TrustUi): Promise<boolean> {
  if (ui.isTrusted) return true;
  if ((await ui.showWarning(UNTRUSTED_MESSAGE, MANAGE_TRUST)) === MANAGE_TRUST) await ui.manageTrust();
  return false;
}
