import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CLASSIC_TABLE } from '../../../../electron/shared/protocol/command-table';
import { applyBlocker, firstProblemId } from '../../../../renderer/src/components/commands/table-editor';
import { draftFromTable } from '../../../../renderer/src/components/commands/table-draft';
import { commandsState, renderCommands } from './harness';

const button = (name: string): HTMLButtonElement => screen.getByRole('button', { name });
const textbox = (name: string): HTMLInputElement => screen.getByRole('textbox', { name });

/** The text of the message a field points at with aria-describedby. */
function describedBy(field: HTMLElement): string {
  return (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ');
}

describe('TableEditor', () => {
  it('lists the served table’s rules, with nothing to apply', () => {
    renderCommands();
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'Framing',
      'Greeting',
      'Rules',
      'Rule 1',
      'Rule 2',
      'Rule 3',
      'Rule 4',
      'Pushed messages',
      'Built-in commands',
    ]);
    expect(textbox('Rule 3 word').value).toBe('HAIKU');
    expect(screen.getByText('Applied')).toBeTruthy();
    expect(button('Apply').disabled).toBe(true);
    expect(button('Revert').disabled).toBe(true);
  });

  it('adds a rule, focuses it, and applies exactly the table shown', async () => {
    const user = userEvent.setup();
    const { fake, push } = renderCommands();
    await user.click(button('Add rule'));
    const word = textbox('Rule 5 word');
    expect(document.activeElement).toBe(word);
    expect(screen.getByText('Unapplied changes')).toBeTruthy();
    // An empty rule is a problem: Apply waits, and says why.
    expect(button('Apply').disabled).toBe(true);
    expect(describedBy(button('Apply'))).toBe('Fix the problem to apply.');
    expect(describedBy(word)).toBe('name cannot be empty');

    await user.type(word, 'PING');
    await user.type(textbox('Rule 5 reply'), 'PONG{enter}{enter}bye {{args}');
    await user.type(textbox('Rule 5 delay (ms)'), '20');
    await user.click(screen.getByRole('checkbox', { name: 'Rule 5 close after reply' }));
    expect(button('Apply').disabled).toBe(false);
    await user.click(button('Apply'));

    // An edited Classic is not Classic: it goes without the built-in preset's name.
    const sent = {
      ...CLASSIC_TABLE,
      name: undefined,
      commands: [
        ...CLASSIC_TABLE.commands,
        { name: 'PING', reply: ['PONG', '', 'bye {args}'], delayMs: 20, close: true },
      ],
    };
    expect(fake.requests('commands:apply')).toEqual([sent]);
    push(commandsState(sent));
    expect(screen.getByText('Applied')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Applied: every connection gets these replies now.');
  });

  it('shows problems next to their fields as the user types, and takes the user to the first', async () => {
    const user = userEvent.setup();
    renderCommands();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Rule 2 match' }), 'pattern');
    const pattern = textbox('Rule 2 pattern');
    await user.type(pattern, '(a');
    expect(describedBy(pattern)).toBe('invalid pattern: missing closing ): `(a`');
    await user.clear(textbox('Rule 4 word'));
    await user.type(textbox('Rule 4 word'), 'song');
    expect(describedBy(textbox('Rule 4 word'))).toBe('song is already the name of rule 1');
    await user.type(textbox('Rule 3 reply'), '{{nope}');
    expect(describedBy(textbox('Rule 3 reply'))).toMatch(/^unknown variable \{nope\}/);
    await user.type(textbox('Rule 1 delay (ms)'), '99999');
    expect(describedBy(textbox('Rule 1 delay (ms)'))).toBe('delay must be at most 60000');

    expect(button('Apply').disabled).toBe(true);
    expect(describedBy(button('Apply'))).toBe('Fix 4 problems to apply.');
    await user.click(button('Fix 4 problems to apply.'));
    expect(document.activeElement).toBe(textbox('Rule 1 delay (ms)'));
  });

  it('shows a group the pattern does not have, under the reply', async () => {
    const user = userEvent.setup();
    renderCommands();
    await user.click(button('Add rule'));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Rule 5 match' }), 'pattern');
    await user.type(textbox('Rule 5 pattern'), '^GET (\\w+)$');
    await user.type(textbox('Rule 5 reply'), '{{2}');
    expect(describedBy(textbox('Rule 5 reply'))).toContain('{2} but the pattern has 1 group');
  });

  it('keeps the draft when main refuses, and shows main’s reason', async () => {
    const user = userEvent.setup();
    const { fake } = renderCommands();
    fake.answer('commands:apply', () => ({
      ok: false,
      error: 'rule 1, reply: refused',
      issues: [{ rule: 0, field: 'reply', message: 'refused' }],
    }));
    await user.type(textbox('Rule 1 reply'), ' and more');
    await user.click(button('Apply'));
    expect(screen.getByRole('alert').textContent).toContain(
      'The server refused this table. rule 1, reply: refused',
    );
    expect(textbox('Rule 1 reply').value).toBe('Old McDonald had a farm, E-I-E-I-O! and more');
    expect(describedBy(textbox('Rule 1 reply'))).toContain('refused');
    expect(screen.getByText('Unapplied changes')).toBeTruthy();
  });

  it('moves, duplicates and deletes rules, keeping focus where the user works', async () => {
    const user = userEvent.setup();
    renderCommands();
    const words = (): string[] =>
      screen.getAllByRole('textbox', { name: /^Rule \d+ word$/ }).map((i) => (i as HTMLInputElement).value);

    await user.click(button('Move rule 2 up'));
    expect(words()).toEqual(['QUOTE', 'SONG', 'HAIKU', 'POEM']);
    // Rule 1 cannot go further up: focus moves to its other arrow.
    expect(document.activeElement).toBe(button('Move rule 1 down'));
    await user.click(button('Move rule 1 down'));
    expect(words()).toEqual(['SONG', 'QUOTE', 'HAIKU', 'POEM']);
    expect(document.activeElement).toBe(button('Move rule 2 down'));

    await user.click(button('Duplicate rule 3'));
    expect(words()).toEqual(['SONG', 'QUOTE', 'HAIKU', 'HAIKU', 'POEM']);
    expect(document.activeElement).toBe(textbox('Rule 4 word'));
    expect(describedBy(textbox('Rule 4 word'))).toBe('HAIKU is already the name of rule 3');

    await user.click(button('Delete rule 4'));
    expect(words()).toEqual(['SONG', 'QUOTE', 'HAIKU', 'POEM']);
    expect(document.activeElement).toBe(button('Delete rule 4'));
    await user.click(button('Delete rule 4'));
    expect(document.activeElement).toBe(button('Delete rule 3'));
    for (const n of [3, 2, 1]) await user.click(button(`Delete rule ${n}`));
    expect(document.activeElement).toBe(button('Add rule'));
    expect(screen.getByText(/No rules yet/)).toBeTruthy();
  });

  it('reverts to the served table, with an undo', async () => {
    const user = userEvent.setup();
    renderCommands();
    await user.type(textbox('Rule 1 word'), 'X');
    await user.click(button('Revert'));
    expect(textbox('Rule 1 word').value).toBe('SONG');
    expect(button('Revert').disabled).toBe(true);
    await user.click(within(screen.getByRole('status')).getByRole('button', { name: 'Undo' }));
    expect(textbox('Rule 1 word').value).toBe('SONGX');
  });

  it('edits the built-ins and the unknown-command reply', async () => {
    const user = userEvent.setup();
    const { fake } = renderCommands();
    await user.click(screen.getByRole('checkbox', { name: 'HELP command' }));
    const unknown = textbox('Unknown-command reply');
    await user.clear(unknown);
    await user.type(unknown, 'ERR {{lin}');
    expect(describedBy(unknown)).toMatch(/unknown variable \{lin\}/);
    await user.type(unknown, '{backspace}e}');
    await user.click(button('Apply'));
    expect(fake.requests('commands:apply')).toEqual([
      { ...CLASSIC_TABLE, name: undefined, builtins: { help: false }, unknown: 'ERR {line}' },
    ]);
  });
});

describe('applyBlocker', () => {
  const placed = { rules: {}, framing: {}, push: {}, general: [], count: 0 };
  it('says why Apply waits', () => {
    const ok = { ok: true, table: CLASSIC_TABLE, issues: [] };
    expect(applyBlocker({ applying: true, check: ok, placed, dirty: true })).toBe('Applying…');
    expect(applyBlocker({ applying: false, check: ok, placed, dirty: false })).toBe(
      'The server answers with this table.',
    );
    expect(applyBlocker({ applying: false, check: ok, placed, dirty: true })).toBeNull();
    expect(
      applyBlocker({
        applying: false,
        check: { ...ok, ok: false },
        placed: { ...placed, count: 2 },
        dirty: true,
      }),
    ).toBe('Fix 2 problems to apply.');
  });

  it('finds no field for a problem of the whole table', () => {
    expect(
      firstProblemId(
        { ...draftFromTable({ commands: [] }), unknown: '' },
        { ...placed, general: ['x'], count: 1 },
      ),
    ).toBeNull();
  });
});
