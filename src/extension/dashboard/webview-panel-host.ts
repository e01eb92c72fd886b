/**
 * What every BOMF webview panel (a run's dashboard, the experiments table, the comparison)
 * shares on the host side: loading its page of the bundle, the `ready` handshake, the
 * visibility rule, debounced refreshes and disposal. A subclass reads the page's messages
 * and decides what to send.
 */
import * as vscode from 'vscode';
import { createNonce, renderDashboardHtml, type WebviewPage } from './html';

/** The webview may load only the bundle and the stylesheet. */
export function dashboardWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

/**
 * Gives a panel's webview its options and one of the bundle's pages. Also for panels
 * restored by a serializer, which come without options (scripts would stay off).
 */
export function loadWebviewPage(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: WebviewPage,
  runDir = '',
): void {
  webview.options = dashboardWebviewOptions(extensionUri);
  webview.html = renderDashboardHtml({
    cspSource: webview.cspSource,
    scriptUri: webview
      .asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'))
      .toString(),
    styleUri: webview
      .asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dashboard.css'))
      .toString(),
    nonce: createNonce(),
    runDir,
    page,
  });
}

/** `Out` is what the host posts to its page. */
export abstract class WebviewPanelHost<Out> implements vscode.Disposable {
  /** Disposed with the panel, in order. */
  protected readonly disposables: vscode.Disposable[] = [];
  /** The page posted `ready` since it last (re)loaded; before that, messages would be lost. */
  protected ready = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    page: WebviewPage,
    runDir = '',
  ) {
    loadWebviewPage(panel.webview, extensionUri, page, runDir);
    this.disposables.push(
      this.disposeEmitter,
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      // Without retainContextWhenHidden a hidden page is torn down; it posts `ready` again
      // when shown, and gets everything anew then.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
  }

  /** A message from the page: untrusted input, to be checked before use. */
  protected abstract receive(raw: unknown): void;

  reveal(): void {
    this.panel.reveal();
  }

  /** Calls `refresh` once after `delayMs`, however many changes arrive meanwhile; nothing while the page is not ready. */
  protected scheduleRefresh(delayMs: number, refresh: () => void): void {
    if (this.refreshTimer || !this.ready) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      refresh();
    }, delayMs);
  }

  protected post(message: Out): void {
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    const disposables = this.disposables.splice(0);
    this.disposeEmitter.fire();
    for (const d of disposables) d.dispose();
    this.panel.dispose();
  }
}
