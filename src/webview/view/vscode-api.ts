/** The webview side of VS Code's API, typed for this dashboard. */
import type { DashboardPersistedState, WebviewToHostMessage } from '../../contract/protocol';

export interface DashboardHost {
  post(message: WebviewToHostMessage): void;
  getState(): Partial<DashboardPersistedState> | undefined;
  setState(state: DashboardPersistedState): void;
}

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
export function connectToHost(): DashboardHost {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const s = api.getState();
      return typeof s === 'object' && s !== null
        ? (s as Partial<DashboardPersistedState>)
        : undefined;
    },
    setState: (state) => api.setState(state),
  };
}
