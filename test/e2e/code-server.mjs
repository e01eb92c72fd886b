// Starts code-server (VS Code in a browser) on a free local port with its own user-data and
// extensions folders, so the test never touches the user's VS Code state.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, timeoutMs, exited) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('code-server exited during start-up (see its log above)');
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000}s`);
}

/**
 * Prepares folders, installs `vsix`, starts the server. Returns its URL and a stop function.
 * @param {{ bin: string, vsix: string, tmp: string, settings: object, log: (s: string) => void }} o
 */
export async function startCodeServer(o) {
  const userData = path.join(o.tmp, 'user-data');
  const extensions = path.join(o.tmp, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(o.settings, null, 2),
  );
  const configFile = path.join(o.tmp, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const common = [
    '--config',
    configFile,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
  ];
  execFileSync(o.bin, [...common, '--install-extension', o.vsix], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });

  const port = await freePort();
  const child = spawn(
    o.bin,
    [
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const logFile = path.join(o.tmp, 'code-server.log');
  const logStream = fs.createWriteStream(logFile);
  child.stdout.pipe(logStream);
  child.stderr.pipe(logStream);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 60_000, () => exited);
  o.log(`code-server ${url} (log: ${logFile})`);
  return {
    url,
    extensions,
    logFile,
    async stop() {
      if (exited) return;
      // Its own process group: the server and the extension host (and any engine it spawned).
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (!exited) process.kill(-child.pid, 'SIGKILL');
    },
  };
}
