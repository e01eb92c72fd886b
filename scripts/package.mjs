// Packages the extension as a VSIX (offline: the bundles carry every dependency),
// then prints its size and checks its file list.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yauzl from 'yauzl';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const vsce = path.join(root, 'node_modules', '.bin', 'vsce');

execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--minify'], {
  stdio: 'inherit',
});
execFileSync(
  vsce,
  ['package', '--no-dependencies', '--skip-license', '--no-rewrite-relative-links', '--out', out],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

/** Names of the entries of a zip file. */
function zipEntries(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const names = [];
      zip.on('entry', (e) => {
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const listing = await zipEntries(out);
const required = [
  'extension/dist/extension.js',
  'extension/dist/engine.js',
  'extension/dist/webview.js',
  'extension/dist/tfjs-backend-wasm.wasm',
];
const missing = required.filter((f) => !listing.includes(f));
const leaked = listing.filter((f) =>
  /^extension\/(src|test|node_modules|examples\/runs)\//.test(f),
);
const mb = fs.statSync(out).size / 2 ** 20;
console.log(`${path.basename(out)}: ${mb.toFixed(2)} MiB, ${listing.length} files`);
if (missing.length || leaked.length || mb > 25) {
  console.error(
    `VSIX check failed: missing ${missing.join(', ') || 'none'}; leaked ${leaked.slice(0, 5).join(', ') || 'none'}; size ${mb.toFixed(2)} MiB (limit 25)`,
  );
  process.exit(1);
}
