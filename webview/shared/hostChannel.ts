// Webview side of a panel's message channel. Installs the listener first, then
// posts `ready` so the host flushes what it buffered (see
// src/extension/webview/messageBuffer.ts). Incoming messages that fail the
// channel's type guard are dropped with a console warning, never acted upon.

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export interface HostChannel<FromWebview, State> {
  post(message: FromWebview): void;
  getState(): State | undefined;
  setState(state: State): void;
}

let api: VsCodeApi<unknown> | undefined;

/** acquireVsCodeApi may be called only once per document: every caller shares this one. */
function vscodeApi<State>(): VsCodeApi<State> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State>;
}

export function connectToHost<ToWebview, FromWebview, State = unknown>(
  isToWebview: (value: unknown) => value is ToWebview,
  onMessage: (message: ToWebview) => void,
): HostChannel<FromWebview, State> {
  const vscode = vscodeApi<State>();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isToWebview(event.data)) {
      onMessage(event.data);
    } else {
      console.warn('Model Lab: ignored an unexpected message from the extension', event.data);
    }
  });
  vscode.postMessage({ type: 'ready' });
  return {
    post: (message) => vscode.postMessage(message),
    getState: () => vscode.getState(),
    setState: (state) => vscode.setState(state),
  };
}
