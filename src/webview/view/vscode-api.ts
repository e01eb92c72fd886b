/** The webview side of VS Code's API, typed per page (dashboard, experiments table, compare). */
import type { DashboardPersistedState, WebviewToHostMessage } from '../../contract/protocol';

export interface PageHost<Message, State> {
  post(message: Message): void;
  getState(): Partial<State> | undefined;
  setState(state: State): void;
}

export type DashboardHost = PageHost<WebviewToHostMessage, DashboardPersistedState>;

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** True inside a VS Code webview (or a harness that provides the same function). */
export function hasVsCodeApi(): boolean {
  return typeof acquireVsCodeApi === 'function';
}

/** May be called once per page load (VS Code's rule). */
export function connectToHost<
  Message = WebviewToHostMessage,
  State = DashboardPersistedState,
>(): PageHost<Message, State> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const s = api.getState();
      return typeof s === 'object' && s !== null ? (s as Partial<State>) : undefined;
    },
    setState: (state) => api.setState(state),
  };
}
