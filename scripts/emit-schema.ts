// Writes schemas/experiment.schema.json from the TypeBox schema (the single source of truth).
// Usage: npm run schema. A unit test fails when the committed file is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { experimentJsonSchemaText } from '../src/engine/config/json-schema';

const out = path.join(__dirname, '..', 'schemas', 'experiment.schema.json');
fs.writeFileSync(out, experimentJsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
