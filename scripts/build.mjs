// Builds the three bundles: extension host, engine/CLI, dashboard webview.
// Usage: node scripts/build.mjs [--watch] [--minify]

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/** The wasm backend loads these at run time from the bundle's own folder. */
function copyWasmBinaries() {
  const from = path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  fs.mkdirSync(dist, { recursive: true });
  for (const file of fs.readdirSync(from).filter((f) => f.endsWith('.wasm'))) {
    fs.copyFileSync(path.join(from, file), path.join(dist, file));
  }
}

const common = { bundle: true, sourcemap: true, minify, logLevel: 'warning', target: 'node20' };

const builds = [
  {
    ...common,
    entryPoints: [path.join(root, 'src/extension/extension.ts')],
    outfile: path.join(dist, 'extension.js'),
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: [path.join(root, 'src/engine/cli.ts')],
    outfile: path.join(dist, 'engine.js'),
    platform: 'node',
    format: 'cjs',
    // Native addon, optional at install time: resolved at run time if present.
    external: ['@tensorflow/tfjs-node'],
  },
  {
    ...common,
    entryPoints: [path.join(root, 'src/webview/main.ts')],
    outfile: path.join(dist, 'webview.js'),
    platform: 'browser',
    format: 'iife',
    globalName: 'bomfWebview',
    target: 'es2022',
  },
];

copyWasmBinaries();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('watching src/ for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  for (const b of builds) {
    const kb = (fs.statSync(b.outfile).size / 1024).toFixed(0);
    console.log(`built ${path.relative(root, b.outfile)} (${kb} KiB)`);
  }
}
