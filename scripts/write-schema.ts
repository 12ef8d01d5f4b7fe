/** `npm run schema`: writes schema/command-table.schema.json. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandTableSchemaText } from './command-table-schema.js';

const file = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../schema/command-table.schema.json',
);
writeFileSync(file, commandTableSchemaText());
process.stdout.write(`wrote ${file}\n`);
