import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CLASSIC_TABLE, commandTableSchema } from '../../../../electron/shared/protocol/command-table';
import { App } from '../../../../renderer/src/app';
import { RUNNING, createFakeBridge, snapshot } from '../../fake-bridge';
import { commandsState } from './harness';

const INBOX = [
  { line: 'FOO', count: 4, lastAt: 2 },
  { line: 'GET x (1)', count: 1, lastAt: 1 },
];

async function openCommands() {
  const user = userEvent.setup();
  const fake = createFakeBridge(snapshot({ status: RUNNING, commands: commandsState(CLASSIC_TABLE) }));
  fake.answer('commands:apply', (table) => ({
    ok: true,
    state: commandsState(commandTableSchema.parse(table)),
  }));
  render(<App bridge={fake.bridge} />);
  await screen.findByRole('status', { name: 'Server status' });
  await user.click(screen.getByRole('button', { name: 'Commands' }));
  return { user, fake };
}

/** The accessible name of every control a screen reader can reach now (the hidden Server view's are not). */
function controlNames(): string[] {
  const names: string[] = [];
  for (const role of ['button', 'textbox', 'combobox', 'spinbutton', 'checkbox']) {
    screen.queryAllByRole(role, {
      name: (name, element) => {
        if (element.closest('[inert]') === null) names.push(name);
        return false;
      },
    });
  }
  return names;
}

const DOCUMENTED_NAMES = [
  'Host',
  'Port',
  'Mode',
  'Command',
  'Send',
  'Start',
  'Stop',
  'Client host',
  'Client port',
];

describe('the Commands view in the window', () => {
  it('switches views with Start, Stop and the status in sight', async () => {
    await openCommands();
    expect(screen.getByRole('button', { name: 'Commands' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('heading', { name: 'Command table' })).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Server status' }).textContent).toBe(
      'Running on 127.0.0.1:31310',
    );
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();
    // The server view is hidden, so its controls are out of the way of screen readers and tests.
    expect(screen.queryByRole('textbox', { name: 'Command' })).toBeNull();
  });

  it('gives every control its own name, none of them the contract’s', async () => {
    await openCommands();
    const names = controlNames();
    expect(names).toEqual(expect.arrayContaining(['Rule 1 word', 'Rule 4 reply', 'HELP command', 'Apply']));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const taken = names.filter((n) => DOCUMENTED_NAMES.includes(n) && n !== 'Start' && n !== 'Stop');
    expect(taken).toEqual([]);
  });

  it('keeps the draft when the user goes to the Server view and back', async () => {
    const { user } = await openCommands();
    await user.type(screen.getByRole('textbox', { name: 'Rule 1 word' }), 'X');
    await user.click(screen.getByRole('button', { name: 'Server' }));
    expect(screen.getByRole('textbox', { name: 'Command' })).toBeTruthy();
    // The editor is gone from the page; its changes are marked on the switch.
    expect(screen.queryByRole('textbox', { name: 'Rule 1 word' })).toBeNull();
    const commands = screen.getByRole('button', { name: 'Commands' });
    expect(document.getElementById(commands.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'unapplied changes',
    );
    await user.click(commands);
    expect(screen.getByRole('textbox', { name: 'Rule 1 word' })).toHaveProperty('value', 'SONGX');
  });

  it('shows the inbox as main updates it, and turns a line into a rule ready to edit', async () => {
    const { user, fake } = await openCommands();
    expect(screen.getByText(/no rule answers gather here/)).toBeTruthy();
    fake.emit('commands:state', commandsState(CLASSIC_TABLE, { inbox: INBOX }));
    expect(screen.getByRole('button', { name: 'Make rule for FOO' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Make rule for FOO' }));
    expect(screen.getByRole('textbox', { name: 'Rule 5 word' })).toHaveProperty('value', 'FOO');
    const reply = screen.getByRole('textbox', { name: 'Rule 5 reply' });
    expect(document.activeElement).toBe(reply);
    expect(reply).toHaveProperty('value', 'OK');
    // The placeholder is selected, so typing replaces it.
    await user.keyboard('BAR');
    expect(reply).toHaveProperty('value', 'BAR');

    await user.click(screen.getByRole('button', { name: 'Make rule for GET x (1)' }));
    expect(screen.getByRole('textbox', { name: 'Rule 6 pattern' })).toHaveProperty(
      'value',
      '^GET x \\(1\\)$',
    );
    await user.click(screen.getByRole('button', { name: 'Apply' }));
    expect(fake.requests('commands:apply')[0]?.commands.slice(4)).toEqual([
      { name: 'FOO', reply: 'BAR' },
      { pattern: '^GET x \\(1\\)$', reply: 'OK' },
    ]);
  });

  it('follows a table applied elsewhere while there are no changes here', async () => {
    const { fake } = await openCommands();
    fake.emit('commands:state', commandsState({ commands: [{ name: 'PING', reply: 'PONG' }] }));
    expect(screen.getByRole('textbox', { name: 'Rule 1 word' })).toHaveProperty('value', 'PING');
    expect(screen.queryByRole('textbox', { name: 'Rule 2 word' })).toBeNull();
  });
});
