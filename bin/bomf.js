#!/usr/bin/env node
// Entry point of `npx bomf`: runs the bundled engine, built by `npm run build`.
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'engine.js');
if (!fs.existsSync(bundle)) {
  console.error(`bomf: ${bundle} does not exist; run \`npm run build\` first.`);
  process.exit(1);
}
require(bundle)
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
