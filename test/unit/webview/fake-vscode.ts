// A minimal stand-in for the `vscode` module: just what the dashboard's host side touches.
import Module from 'node:module';

type Listener<T> = (value: T) => void;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  get listenerCount(): number {
    return this.listeners.length;
  }
  dispose(): void {
    this.listeners = [];
  }
}

interface FakeUri {
  path: string;
  toString(): string;
}
const uri = (p: string): FakeUri => ({ path: p, toString: () => `vscode-resource:${p}` });

export const executed: { command: string; args: unknown[] }[] = [];

export const fakeVscode = {
  EventEmitter,
  ViewColumn: { Active: -1 },
  Uri: {
    file: uri,
    joinPath: (base: FakeUri, ...parts: string[]) => uri([base.path, ...parts].join('/')),
  },
  commands: {
    executeCommand: async (command: string, ...args: unknown[]) => {
      executed.push({ command, args });
    },
  },
};

/** A WebviewPanel whose page is driven by the test: `fromPage` plays the webview's posts. */
export class FakePanel {
  title = '';
  visible = true;
  disposed = false;
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<unknown>();
  private readonly disposing = new EventEmitter<void>();
  private readonly viewState = new EventEmitter<void>();
  readonly onDidDispose = this.disposing.event;
  readonly onDidChangeViewState = this.viewState.event;
  readonly webview = {
    options: {} as unknown,
    html: '',
    cspSource: 'vscode-resource:',
    asWebviewUri: (u: FakeUri) => u,
    postMessage: async (m: unknown) => {
      this.posted.push(m);
      return true;
    },
    onDidReceiveMessage: this.received.event,
  };
  fromPage(message: unknown): void {
    this.received.fire(message);
  }
  hide(): void {
    this.visible = false;
    this.viewState.fire();
  }
  reveal(): void {}
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposing.fire();
  }
}

/** Makes `require('vscode')` return the fake for the rest of the test process. */
export function installFakeVscode(): void {
  const loader = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  };
  const original = loader._load;
  loader._load = (request, parent, isMain) =>
    request === 'vscode' ? fakeVscode : original(request, parent, isMain);
}
