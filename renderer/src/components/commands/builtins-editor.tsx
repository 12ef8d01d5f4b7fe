/**
 * What the server does besides the rules: the built-in HELP and QUIT
 * commands (tried after the rules, so a rule of the same name wins), and the
 * reply to a line nothing matched.
 */
import type { ReactElement } from 'react';
import type { TableDraft } from './table-draft';
import { VariablesHint } from './variables-hint';

export const BUILTIN_IDS = { help: 'builtin-help', quit: 'builtin-quit', unknown: 'builtin-unknown' };

interface BuiltinsEditorProps {
  draft: Pick<TableDraft, 'help' | 'quit' | 'unknown'>;
  unknownError?: string | undefined;
  builtinsError?: string | undefined;
  onChange: (patch: Partial<Pick<TableDraft, 'help' | 'quit' | 'unknown'>>) => void;
}

export function BuiltinsEditor({
  draft,
  unknownError,
  builtinsError,
  onChange,
}: BuiltinsEditorProps): ReactElement {
  const { help, quit, unknown } = BUILTIN_IDS;
  return (
    <section className="builtins" aria-labelledby="builtins-title">
      <h3 className="builtins-title" id="builtins-title">
        Built-in commands
      </h3>
      <p className="builtins-note">Tried after the rules: a rule with the same word answers instead.</p>
      <div className="builtins-checks">
        <BuiltinCheck
          id={help}
          label="HELP command"
          note="lists the commands"
          checked={draft.help}
          onChange={(v) => onChange({ help: v })}
        />
        <BuiltinCheck
          id={quit}
          label="QUIT command"
          note="says Bye. and hangs up"
          checked={draft.quit}
          onChange={(v) => onChange({ quit: v })}
        />
      </div>
      {builtinsError ? <p className="field-error">{builtinsError}</p> : null}
      <div className="builtins-unknown">
        <label className="rule-label" htmlFor={unknown}>
          Unknown-command reply
        </label>
        <input
          id={unknown}
          className="input input--mono"
          value={draft.unknown}
          onChange={(e) => onChange({ unknown: e.target.value })}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={unknownError ? true : undefined}
          aria-describedby={`${unknownError ? `${unknown}-error ` : ''}${unknown}-hint`}
        />
        {unknownError ? (
          <p className="field-error" id={`${unknown}-error`}>
            {unknownError}
          </p>
        ) : null}
        <VariablesHint id={`${unknown}-hint`} groups={false} />
      </div>
    </section>
  );
}

interface BuiltinCheckProps {
  id: string;
  label: string;
  /** What the command does; read as the checkbox's description, not its name. */
  note: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

function BuiltinCheck({ id, label, note, checked, onChange }: BuiltinCheckProps): ReactElement {
  return (
    <div className="check-row">
      <label className="check">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-describedby={`${id}-note`}
        />
        {label}
      </label>
      <span className="check-note" id={`${id}-note`}>
        {note}
      </span>
    </div>
  );
}
