/**
 * The reply variables of docs/command-tables.md, shown under every reply field so
 * nobody has to look them up; each says what it stands for on hover.
 */
import type { ReactElement } from 'react';

export const VARIABLE_HELP: readonly { name: string; help: string }[] = [
  { name: 'line', help: 'the whole line, trimmed' },
  { name: 'args', help: 'everything after the command word' },
  { name: '1', help: '{1}…{9}: the pattern’s groups, or the words after the command word' },
  { name: 'conn', help: 'the connection’s number' },
  { name: 'time', help: 'the time, ISO 8601' },
  { name: 'count', help: 'how often this rule has answered' },
];

export function VariablesHint({ id, groups = true }: { id: string; groups?: boolean }): ReactElement {
  return (
    <p className="variables-hint" id={id}>
      <span className="variables-label">Variables</span>
      {VARIABLE_HELP.filter((v) => groups || v.name !== '1').map((v) => (
        <code key={v.name} title={v.help}>
          {v.name === '1' ? '{1}…{9}' : `{${v.name}}`}
        </code>
      ))}
      <span className="variables-escape">
        <code>{'{{'}</code> writes <code>{'{'}</code>
      </span>
    </p>
  );
}
