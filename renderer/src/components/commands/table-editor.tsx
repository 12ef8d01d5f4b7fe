/**
 * The command table editor: the rules in order, the built-ins, and Apply,
 * which serves the draft at once (no restart, connections kept).
 */
import type { ReactElement } from 'react';
import type { CommandsEditor } from '../../hooks/use-commands';
import { Notice } from '../notice';
import { BUILTIN_IDS, BuiltinsEditor } from './builtins-editor';
import type { PlacedIssues } from './draft-check';
import { PlusIcon } from './rule-icons';
import {
  CONVERSATION_IDS,
  FramingEditor,
  GreetingEditor,
  PushEditor,
  StatesSummary,
  pushFieldId,
} from './conversation-editor';
import type { FramingField } from './draft-check';
import { RuleEditor, ruleFieldId } from './rule-editor';
import {
  addRule,
  deleteRule,
  duplicateRule,
  moveRule,
  newRuleId,
  updateRule,
  type TableDraft,
} from './table-draft';

export const ADD_RULE_ID = 'add-rule';
const REASON_ID = 'apply-reason';

interface TableEditorProps {
  editor: CommandsEditor;
  running: boolean;
  /** Moves focus to the element with this id once the next render is on screen. */
  focusLater: (id: string) => void;
}

/** Why Apply cannot be pressed now, or null when it can. */
export function applyBlocker(
  editor: Pick<CommandsEditor, 'applying' | 'check' | 'placed' | 'dirty'>,
): string | null {
  if (editor.applying) return 'Applying…';
  if (!editor.check.ok) {
    const n = Math.max(1, editor.placed.count);
    return `Fix ${n === 1 ? 'the problem' : `${n} problems`} to apply.`;
  }
  if (!editor.dirty) return 'The server answers with this table.';
  return null;
}

/** The id of the first field with a problem, top to bottom, for the reason to take the user there. */
export function firstProblemId(draft: TableDraft, placed: PlacedIssues): string | null {
  const framing = (Object.keys(placed.framing) as FramingField[])[0];
  if (framing) return framing === 'kind' ? CONVERSATION_IDS.framing : CONVERSATION_IDS[framing];
  if (placed.replyEnding !== undefined) return CONVERSATION_IDS.replyEnding;
  if (placed.greeting !== undefined) return CONVERSATION_IDS.greeting;
  for (const rule of draft.rules) {
    const fields = placed.rules[rule.id];
    const field =
      fields &&
      (['match', 'reply', 'delay', 'close', 'state', 'then'] as const).find((f) => fields[f] !== undefined);
    if (field) return ruleFieldId(rule.id, field);
  }
  for (const entry of draft.push) {
    const fields = placed.push[entry.id];
    const field = fields && (['every', 'state', 'reply'] as const).find((f) => fields[f] !== undefined);
    if (field) return pushFieldId(entry.id, field);
  }
  return placed.unknown !== undefined ? BUILTIN_IDS.unknown : null;
}

export function TableEditor({ editor, running, focusLater }: TableEditorProps): ReactElement {
  const { draft, placed, dirty, edit } = editor;
  const blocker = applyBlocker(editor);

  const add = (): void => {
    const id = newRuleId();
    edit((d) => addRule(d, id));
    focusLater(ruleFieldId(id, 'match'));
  };
  const duplicate = (ruleId: string): void => {
    const id = newRuleId();
    edit((d) => duplicateRule(d, ruleId, id));
    focusLater(ruleFieldId(id, 'match'));
  };
  const move = (ruleId: string, index: number, delta: -1 | 1): void => {
    edit((d) => moveRule(d, ruleId, delta));
    // Keep the focus on the button pressed, unless the rule reached the end and it is now disabled.
    const to = index + delta;
    const atEnd = delta < 0 ? to === 0 : to === draft.rules.length - 1;
    const same = delta < 0 ? 'up' : 'down';
    focusLater(ruleFieldId(ruleId, atEnd ? (same === 'up' ? 'down' : 'up') : same));
  };
  const remove = (ruleId: string, index: number): void => {
    edit((d) => deleteRule(d, ruleId));
    // Focus the rule that takes its place, so several can be deleted in a row.
    const next = draft.rules[index + 1] ?? draft.rules[index - 1];
    focusLater(next ? ruleFieldId(next.id, 'delete') : ADD_RULE_ID);
  };

  return (
    <section className="pane table-editor">
      <header className="pane-header editor-header">
        <h2 className="pane-title" id="table-editor-title">
          Command table
        </h2>
        {dirty ? (
          <span className="card-badge badge--changed">Unapplied changes</span>
        ) : (
          <span className="card-badge badge--applied">Applied</span>
        )}
        <div className="editor-actions">
          {/* With nothing to apply the badge says so; the reason shows for work in progress or problems. */}
          {editor.applying || !editor.check.ok ? (
            <ApplyReason
              blocker={blocker}
              problemAt={editor.check.ok ? null : firstProblemId(draft, placed)}
            />
          ) : null}
          <button type="button" className="button button--small" disabled={!dirty} onClick={editor.revert}>
            Revert
          </button>
          <button
            type="button"
            className="button button--small button--primary"
            disabled={blocker !== null}
            aria-describedby={editor.applying || !editor.check.ok ? REASON_ID : undefined}
            onClick={() => void editor.apply()}
          >
            Apply
          </button>
        </div>
      </header>
      <EditorNotes editor={editor} running={running} />
      <div className="editor-body">
        <FramingEditor draft={draft} placed={placed} edit={edit} tryTable={editor.tryTable} />
        <GreetingEditor draft={draft} placed={placed} edit={edit} />
        <h3 className="builtins-title rules-title">Rules</h3>
        {draft.rules.length === 0 ? (
          <p className="empty rules-empty">
            No rules yet: every line gets the unknown-command reply, besides HELP and QUIT.
          </p>
        ) : (
          <ol className="rules">
            {draft.rules.map((rule, index) => (
              <RuleEditor
                key={rule.id}
                rule={rule}
                index={index}
                total={draft.rules.length}
                errors={placed.rules[rule.id] ?? {}}
                onChange={(patch) => edit((d) => updateRule(d, rule.id, patch))}
                onMove={(delta) => move(rule.id, index, delta)}
                onDuplicate={() => duplicate(rule.id)}
                onDelete={() => remove(rule.id, index)}
              />
            ))}
          </ol>
        )}
        <button id={ADD_RULE_ID} type="button" className="button button--small add-rule" onClick={add}>
          <PlusIcon />
          Add rule
        </button>
        <PushEditor draft={draft} placed={placed} edit={edit} focusLater={focusLater} />
        <BuiltinsEditor
          draft={draft}
          unknownError={placed.unknown}
          builtinsError={placed.builtins}
          onChange={(patch) => edit((d) => ({ ...d, ...patch }))}
        />
        <StatesSummary table={editor.check.table} />
      </div>
    </section>
  );
}

/** Why Apply is disabled; when it is a problem in a field, a click goes there. */
function ApplyReason({
  blocker,
  problemAt,
}: {
  blocker: string | null;
  problemAt: string | null;
}): ReactElement {
  if (problemAt === null) {
    return (
      <p className="apply-reason" id={REASON_ID}>
        {blocker}
      </p>
    );
  }
  return (
    <button
      type="button"
      id={REASON_ID}
      className="apply-reason apply-reason--problem"
      title="Go to the first problem"
      onClick={() => document.getElementById(problemAt)?.focus()}
    >
      {blocker}
    </button>
  );
}

/** What just happened to the draft, and problems that belong to no single field. */
function EditorNotes({ editor, running }: { editor: CommandsEditor; running: boolean }): ReactElement | null {
  const { note, replaced, placed } = editor;
  if (!note && !replaced && placed.general.length === 0) return null;
  return (
    <div className="editor-notes">
      {replaced ? (
        <div className="notice notice--info editor-replaced" role="status">
          <p className="notice-text">{replaced.label} Your unapplied changes were replaced.</p>
          <button type="button" className="button button--small" onClick={editor.undoReplace}>
            Undo
          </button>
        </div>
      ) : null}
      {note?.ok ? (
        <p className="apply-done" role="status">
          {running
            ? 'Applied: every connection gets these replies now.'
            : 'Applied: the server answers with this table when it starts.'}
        </p>
      ) : null}
      {note && !note.ok ? (
        <Notice tone="danger" title="The server refused this table." role="alert">
          {note.error}
        </Notice>
      ) : null}
      {placed.general.length > 0 ? (
        <Notice tone="danger" title="The table as a whole:">
          {placed.general.join('; ')}
        </Notice>
      ) : null}
    </div>
  );
}
