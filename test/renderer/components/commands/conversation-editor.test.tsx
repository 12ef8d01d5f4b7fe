import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { CommandTable } from '../../../../electron/shared/protocol/command-table';
import { commandsState, renderCommands } from './harness';

const button = (name: string): HTMLButtonElement => screen.getByRole('button', { name });
const field = (name: string): HTMLInputElement =>
  screen.getByLabelText(name, { selector: 'input, select, textarea' });

/** The text of the messages a field points at with aria-describedby. */
function describedBy(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' | ');
}

const MODBUS: CommandTable = {
  framing: { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } },
  builtins: { help: false, quit: false },
  unknown: '',
  commands: [
    { bytes: '?? ?? 00 00 00 06 ?? 03 *', replyBytes: '{req:0:2} 00 00 00 05 {req:6:1} 03 02 00 2a' },
  ],
};

describe('the conversation fields of the editor', () => {
  it('shows a binary table’s framing, and what its hex fields mean', () => {
    renderCommands(commandsState(MODBUS));
    expect(field('Framing kind').value).toBe('lengthField');
    expect(field('Field offset').value).toBe('4');
    expect(field('Field size').value).toBe('2');
    expect(field('Rule 1 bytes').value).toBe('?? ?? 00 00 00 06 ?? 03 *');
    expect(describedBy(field('Rule 1 bytes'))).toBe(
      'at least 8 bytes: (any byte) (any byte) 00 00 00 06 (any byte) 03 …any bytes…',
    );
    expect(describedBy(field('Rule 1 reply bytes'))).toBe(
      '11 bytes: (request bytes 0–1) 00 00 00 05 (request byte 6) 03 02 00 2A',
    );
  });

  it('previews how a sample is cut as the framing changes, and places a framing problem at its field', async () => {
    const user = userEvent.setup();
    renderCommands();
    const preview = screen.getByLabelText('Framing preview');
    await user.selectOptions(field('Framing kind'), 'crlf');
    await user.clear(field('Sample input'));
    await user.type(field('Sample input'), 'a\\nb\\r\\nc');
    await expect
      .poll(() =>
        within(preview)
          .queryAllByRole('listitem')
          .map((li) => li.textContent),
      )
      .toEqual(['a\\x0Ab61 0a 62', 'c63']);

    await user.selectOptions(field('Framing kind'), 'fixed');
    await user.type(field('Frame length (bytes)'), '0');
    expect(describedBy(field('Frame length (bytes)'))).toBe('fixed must be at least 1');
    expect(preview.textContent).toBe('Fix the framing to see how the sample is cut.');
    await user.clear(field('Frame length (bytes)'));
    await user.type(field('Frame length (bytes)'), '4');
    await expect
      .poll(() =>
        within(preview)
          .queryAllByRole('listitem')
          .map((li) => li.textContent),
      )
      .toEqual(['a\\x0Ab\\x0D61 0a 62 0d']);
    expect(preview.textContent).toContain('Not a request (an incomplete frame): 0a 63');
  });

  it('applies the greeting, a push, a byte reply and the states exactly as shown', async () => {
    const user = userEvent.setup();
    const { fake } = renderCommands(commandsState({ commands: [] }));
    await user.type(field('Greeting lines'), '220 ready');
    await user.click(button('Add rule'));
    await user.type(field('Rule 1 word'), 'DATA');
    await user.type(field('Rule 1 reply'), '354 go');
    await user.type(field('Rule 1 then state'), 'data');
    expect(describedBy(field('Rule 1 then state'))).toBe(
      'then names the state data, which no rule or push is in (states: start)',
    );
    await user.click(button('Add rule'));
    await user.selectOptions(field('Rule 2 match'), 'bytes');
    await user.type(field('Rule 2 bytes'), '2e *');
    await user.selectOptions(field('Rule 2 reply kind'), 'bytes');
    await user.type(field('Rule 2 reply bytes'), '4f 4b 0d 0a');
    await user.type(field('Rule 2 states'), 'data');
    await user.click(button('Add push'));
    await user.type(field('Push 1 lines'), 'tick');
    await user.clear(field('Push 1 every (ms)'));
    await user.type(field('Push 1 every (ms)'), '10');
    expect(describedBy(field('Push 1 every (ms)'))).toBe('everyMs must be at least 50');
    await user.type(field('Push 1 every (ms)'), '00');

    const states = screen.getByRole('list', { name: 'States' });
    expect(
      within(states)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['start→to data (rule 1)', 'data→to data (rule 1)']);

    expect(button('Apply').disabled).toBe(false);
    await user.click(button('Apply'));
    expect(fake.requests('commands:apply')).toEqual([
      {
        commands: [
          { name: 'DATA', reply: '354 go', then: 'data' },
          { bytes: '2e *', replyBytes: '4f 4b 0d 0a', state: 'data' },
        ],
        greeting: '220 ready',
        push: [{ everyMs: 1000, reply: 'tick' }],
      },
    ]);
  });

  it('tests a request against the draft in the rule tester, state by state, without applying', async () => {
    const user = userEvent.setup();
    const { fake } = renderCommands(
      commandsState({
        framing: 'crlf',
        commands: [
          { name: 'DATA', reply: '354 go', then: 'data' },
          { pattern: '.*', state: 'data', reply: [] },
        ],
      }),
    );
    const result = screen.getByLabelText('Test result');
    await user.type(field('Test request'), 'DATA{Enter}');
    await expect.poll(() => result.textContent).toContain('Rule 1 answers 8 bytes, then data');
    expect(result.textContent).toContain('354 go\\r\\n');
    expect(result.textContent).toContain('33 35 34 20 67 6f 0d 0a');

    await user.selectOptions(field('Test in state'), 'data');
    await user.clear(field('Test request'));
    await user.type(field('Test request'), 'anything{Enter}');
    await expect.poll(() => result.textContent).toContain('Rule 2 answers nothing');
    expect(fake.requests('commands:apply')).toEqual([]);
  });
});
