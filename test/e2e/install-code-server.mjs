// Installs code-server (real VS Code served to a browser) into a cache folder outside the
// project's dependencies, offline apart from the npm registry. Skips when already there.
// Recipe and reasons: docs of this repo's e2e test (README "End-to-end test") and the notes
// it was built from: Debian's ripgrep replaces the GitHub download of @vscode/ripgrep,
// Debian's libkrb5-dev lets the `kerberos` addon build.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** @vscode/ripgrep versions that code-server 4.100.x pulls in; each has its own cache folder. */
const RIPGREP_PACKAGE_VERSIONS = ['1.15.9', '1.15.10', '1.15.11', '1.15.13', '1.15.14'];
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** Path of the code-server launcher inside `cacheDir`. */
export function codeServerBin(cacheDir) {
  return path.join(cacheDir, 'node_modules', '.bin', 'code-server');
}

/**
 * Puts Debian's `rg` where @vscode/ripgrep's postinstall looks before downloading:
 * `<tmpdir>/vscode-ripgrep-cache-<version>/<archive>`, a tar.gz whose only member is `rg`.
 */
function seedRipgrepCache() {
  const rg = '/usr/bin/rg';
  if (!fs.existsSync(rg)) throw new Error('ripgrep is missing: apt-get install -y ripgrep');
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-staging-'));
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  fs.chmodSync(path.join(staging, 'rg'), 0o755);
  const archive = path.join(staging, RIPGREP_ARCHIVE);
  execFileSync('tar', ['-czf', archive, '-C', staging, 'rg']);
  for (const version of RIPGREP_PACKAGE_VERSIONS) {
    const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${version}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(archive, path.join(dir, RIPGREP_ARCHIVE));
  }
  fs.rmSync(staging, { recursive: true, force: true });
}

/** Installs code-server into `cacheDir` unless it is already there; returns the launcher path. */
export function ensureCodeServer(cacheDir, log = console.log) {
  const bin = codeServerBin(cacheDir);
  const marker = path.join(cacheDir, `.installed-${CODE_SERVER_VERSION}`);
  if (fs.existsSync(bin) && fs.existsSync(marker)) return bin;
  if (!fs.existsSync('/usr/include/gssapi/gssapi.h') && !fs.existsSync('/usr/include/krb5.h')) {
    throw new Error(
      'libkrb5-dev is missing (code-server builds the kerberos addon): apt-get install -y libkrb5-dev',
    );
  }
  log(`installing code-server@${CODE_SERVER_VERSION} into ${cacheDir} (takes a few minutes)`);
  fs.mkdirSync(cacheDir, { recursive: true });
  // A private package.json keeps this install out of the project's lockfile. allowScripts
  // records that code-server's postinstall (it builds VS Code's native modules) is wanted.
  fs.writeFileSync(
    path.join(cacheDir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'bomf-e2e-code-server',
        private: true,
        allowScripts: {
          'code-server': true,
          kerberos: true,
          '@vscode/ripgrep': true,
          argon2: true,
        },
      },
      null,
      2,
    )}\n`,
  );
  seedRipgrepCache();
  const args = ['install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts'];
  if (process.getuid?.() === 0) args.push('--unsafe-perm');
  args.push(`code-server@${CODE_SERVER_VERSION}`);
  execFileSync('npm', args, {
    cwd: cacheDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    // npm_config_yes: a nested `npx node-gyp` would otherwise wait on a prompt.
    env: { ...process.env, npm_config_yes: 'true', npm_config_ignore_scripts: 'false' },
  });
  if (!fs.existsSync(bin)) throw new Error(`code-server install finished but ${bin} is missing`);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  return bin;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  console.log(ensureCodeServer(path.join(root, '.cache', 'code-server')));
}
