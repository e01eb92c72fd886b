/**
 * One dashboard panel for one run: the webview's handshake, the snapshot it gets when
 * ready, and the event deltas streamed from the run registry afterwards.
 */
import * as vscode from 'vscode';
import type { BomfEvent } from '../../contract/events';
import {
  assertNever,
  type HostToWebviewMessage,
  isWebviewToHostMessage,
  type WebviewToHostMessage,
} from '../../contract/protocol';
import type { RunHandle, RunRegistry } from '../runs/registry';
import { WebviewPanelHost } from './webview-panel-host';

export const DASHBOARD_VIEW_TYPE = 'bomf.dashboard';

export class DashboardPanel extends WebviewPanelHost<HostToWebviewMessage> {
  private handleListener: vscode.Disposable | undefined;
  private handle: RunHandle | undefined;
  private sentState: RunHandle['state'] | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    private readonly registry: RunRegistry,
    readonly runDir: string,
    extensionUri: vscode.Uri,
  ) {
    super(panel, extensionUri, 'dashboard', runDir);
    this.disposables.push(
      registry.onDidChange(() => this.registryChanged()),
      { dispose: () => this.handleListener?.dispose() },
    );
    this.bind(registry.get(runDir));
  }

  protected receive(raw: unknown): void {
    if (!isWebviewToHostMessage(raw)) return; // untrusted input: drop anything unexpected
    const message: WebviewToHostMessage = raw;
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendSnapshot();
        return;
      case 'resync':
        this.resync(message.fromSeq);
        return;
      case 'export-fused':
        void vscode.commands.executeCommand('bomf.exportFusedCheckpoint', {
          runDir: this.runDir,
          weights: message.weights,
          evalIndex: message.evalIndex,
        });
        return;
      case 'reveal-run':
        // The extension's command chooses the Explorer or the OS file manager.
        void vscode.commands.executeCommand('bomf.revealRunFolder', { runDir: this.runDir });
        return;
      default:
        assertNever(message);
    }
  }

  /** Follows `handle` (a new one after a resume or reload replaces the old). */
  private bind(handle: RunHandle | undefined): void {
    if (!handle || handle === this.handle) return;
    this.handleListener?.dispose();
    this.handle = handle;
    this.panel.title = `BOMF: ${handle.name}`;
    this.handleListener = handle.onDidAppend((events) => this.sendDelta(events));
    this.sendSnapshot();
  }

  private registryChanged(): void {
    const current = this.registry.get(this.runDir);
    if (current !== this.handle) {
      this.bind(current);
      return;
    }
    if (current && this.ready && current.state !== this.sentState) {
      this.sentState = current.state;
      this.post({ type: 'run-state', state: current.state });
    }
  }

  private sendSnapshot(): void {
    const handle = this.handle;
    if (!handle || !this.ready) return;
    const events = [...handle.events];
    this.sentState = handle.state;
    this.post({
      type: 'snapshot',
      runDir: handle.runDir,
      name: handle.name,
      state: handle.state,
      events,
      lastSeq: events.at(-1)?.seq ?? -1,
    });
  }

  private sendDelta(events: readonly BomfEvent[]): void {
    // Before `ready` the coming snapshot will include these events.
    if (!this.ready || events.length === 0) return;
    this.post({ type: 'events', fromSeq: events[0]!.seq, events: [...events] });
  }

  /** Resends from `fromSeq`, or everything when the log itself has no such event (lost lines). */
  private resync(fromSeq: number): void {
    const events = this.handle?.events ?? [];
    const start = events.findIndex((e) => e.seq === fromSeq);
    if (start < 0) this.sendSnapshot();
    else this.sendDelta(events.slice(start));
  }
}
