// Writes schemas/experiment.schema.json and docs/config.md from the TypeBox schema
// (the single source of truth). Usage: npm run schema. Unit tests fail when either is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configReferenceMarkdown, experimentJsonSchemaText } from '../src/engine/config';

const root = path.join(__dirname, '..');
const outputs: [string, string][] = [
  ['schemas/experiment.schema.json', experimentJsonSchemaText()],
  [
    'docs/config.md',
    configReferenceMarkdown(fs.readFileSync(path.join(root, 'docs/config.intro.md'), 'utf8')),
  ],
];
for (const [file, text] of outputs) {
  fs.writeFileSync(path.join(root, file), text);
  console.log(`wrote ${file}`);
}
