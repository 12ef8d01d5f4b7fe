/**
 * The published JSON Schema of command table files (CONTRACT §5), made
 * from the very zod schema the app validates with, so the two cannot drift:
 * `npm run schema` writes schema/command-table.schema.json, and a test fails
 * when the committed file differs from what this makes.
 */
import { z } from 'zod';
import { TABLE_SCHEMA_ID, commandTableSchema } from '../electron/shared/protocol/command-table.js';

export function commandTableJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(commandTableSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  // What zod checks in code, said in the schema's words: a rule has either
  // a name or a pattern, never both.
  const properties = schema.properties as Record<string, { items?: Record<string, unknown> }>;
  const rule = properties.commands?.items;
  if (rule) rule.oneOf = [{ required: ['name'] }, { required: ['pattern'] }];
  return {
    $schema: schema.$schema,
    $id: TABLE_SCHEMA_ID,
    title: 'Switchboard command table',
    description:
      'Rules a Switchboard server answers lines with: a command word (name) or a regular expression (pattern, RE2 syntax) and a reply template.',
    ...schema,
  };
}

export function commandTableSchemaText(): string {
  return `${JSON.stringify(commandTableJsonSchema(), null, 2)}\n`;
}
