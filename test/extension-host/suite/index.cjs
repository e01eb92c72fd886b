// Runs inside the VS Code extension host (loaded by @vscode/test-electron). A few sequential
// checks with node:assert; no test framework is needed for this size.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const COMMANDS = [
  'bomf.newExperiment',
  'bomf.runExperiment',
  'bomf.stopRun',
  'bomf.resumeRun',
  'bomf.openDashboard',
  'bomf.exportFusedCheckpoint',
  'bomf.revealRunFolder',
  'bomf.validateConfig',
  'bomf.openTrialLog',
];

async function until(what, check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const tests = {
  async 'should activate and register every BOMF command'() {
    const ext = vscode.extensions.getExtension('bomf-studio.bomf-studio');
    await ext.activate();
    const all = await vscode.commands.getCommands(true);
    for (const id of COMMANDS) assert.ok(all.includes(id), `${id} is not registered`);
  },
  async 'should give *.bomf.yaml the bomf-yaml language and report schema errors at their line'() {
    const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    const doc = await vscode.workspace.openTextDocument(path.join(folder, 'bad.bomf.yaml'));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'bomf-yaml');
    const diagnostics = await until('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(doc.uri);
      return found.length > 0 ? found : undefined;
    });
    const acquisition = diagnostics.find((d) => d.range.start.line === 2);
    assert.ok(
      acquisition,
      `no diagnostic on line 3: ${diagnostics.map((d) => d.message).join('; ')}`,
    );
    assert.ok(
      diagnostics.some((d) => /data/.test(d.message)),
      'the missing data section is not reported',
    );
  },
  async 'should complete top-level keys from the schema'() {
    const doc = await vscode.workspace.openTextDocument({
      language: 'bomf-yaml',
      content: 'name: x\n',
    });
    const list = await vscode.commands.executeCommand(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      new vscode.Position(1, 0),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const key of ['data', 'search', 'fusion'])
      assert.ok(labels.includes(key), `${key} not offered`);
  },
};

exports.run = async function run() {
  const failures = [];
  for (const [name, test] of Object.entries(tests)) {
    try {
      await test();
      console.log(`  ✔ ${name}`);
    } catch (err) {
      console.log(`  ✘ ${name}\n    ${err.message}`);
      failures.push(name);
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} extension-host test(s) failed`);
};
