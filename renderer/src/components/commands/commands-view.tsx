/**
 * The Commands view: presets and the unknown-line inbox beside the command
 * table editor. The draft itself lives in useCommands, above this view, so
 * switching to the Server view and back keeps every unapplied change.
 */
import { useCallback, useEffect, useMemo, useRef, type ReactElement } from 'react';
import type { CommandsEditor } from '../../hooks/use-commands';
import { InboxCard } from './inbox-card';
import { PresetsCard } from './presets-card';
import { ruleFieldId } from './rule-editor';
import { RuleTester } from './rule-tester';
import './conversation.css';
import { addRule, newRuleId } from './table-draft';
import { TableEditor } from './table-editor';
import { answeringRule, ruleFromUnknownLine } from './unknown-line';
import './commands.css';

interface CommandsViewProps {
  editor: CommandsEditor;
  running: boolean;
}

export function CommandsView({ editor, running }: CommandsViewProps): ReactElement {
  const focusTarget = useRef<string | null>(null);
  // Runs after every render: an action that adds or moves a rule asks for focus, and the rule exists only now.
  useEffect(() => {
    const id = focusTarget.current;
    if (id === null) return;
    focusTarget.current = null;
    const element = document.getElementById(id);
    element?.focus();
    // A placeholder reply is there to be typed over.
    if (element instanceof HTMLTextAreaElement) element.select();
  });
  const focusLater = useCallback((id: string) => {
    focusTarget.current = id;
  }, []);

  const { edit } = editor;
  const answeredBy = useMemo(() => answeringRule(editor.server.table), [editor.server.table]);
  const makeRule = useCallback(
    (line: string) => {
      const id = newRuleId();
      edit((d) => addRule(d, id, ruleFromUnknownLine(line)));
      focusLater(ruleFieldId(id, 'reply'));
    },
    [edit, focusLater],
  );

  return (
    <main className="workspace commands-view">
      <aside className="sidebar" aria-label="Presets, rule tester and unknown lines">
        <PresetsCard editor={editor} />
        <RuleTester table={editor.check.table} problems={!editor.check.ok} tryTable={editor.tryTable} />
        <InboxCard
          inbox={editor.server.inbox}
          answeredBy={answeredBy}
          onMakeRule={makeRule}
          onClear={editor.clearInbox}
        />
      </aside>
      <TableEditor editor={editor} running={running} focusLater={focusLater} />
    </main>
  );
}
