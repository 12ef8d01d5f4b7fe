/**
 * The published JSON Schema of command table files (docs/command-tables.md), made
 * from the very zod schema the app validates with, so the two cannot drift:
 * `npm run schema` writes schema/command-table.schema.json, and a test fails
 * when the committed file differs from what this makes.
 */
import { z } from 'zod';
import { TABLE_SCHEMA_ID, commandTableSchema } from '../electron/shared/protocol/command-table.js';

export function commandTableJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(commandTableSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  // What zod checks in code, said in the schema's words: a rule matches by
  // exactly one of name, pattern and bytes, and answers with exactly one of
  // reply and replyBytes; so does a push.
  const properties = schema.properties as Record<string, { items?: Record<string, unknown> }>;
  const answers = { oneOf: [{ required: ['reply'] }, { required: ['replyBytes'] }] };
  const rule = properties.commands?.items;
  if (rule) {
    rule.allOf = [
      { oneOf: [{ required: ['name'] }, { required: ['pattern'] }, { required: ['bytes'] }] },
      answers,
    ];
  }
  const push = properties.push?.items;
  if (push) Object.assign(push, answers);
  return {
    $schema: schema.$schema,
    $id: TABLE_SCHEMA_ID,
    title: 'Switchboard command table',
    description:
      'Rules a Switchboard server answers requests with (a command word, an RE2 pattern or a hex byte pattern, and a reply), with the conversation around them (greeting, pushes, states), the framing and faults. Every field is described in docs/command-tables.md.',
    ...schema,
  };
}

export function commandTableSchemaText(): string {
  return `${JSON.stringify(commandTableJsonSchema(), null, 2)}\n`;
}
