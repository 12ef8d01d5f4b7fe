import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CLASSIC_TABLE,
  TABLE_SCHEMA_ID,
  parseTableFile,
  type CommandTable,
} from '../../../../electron/shared/protocol/command-table';
import { commandsState, renderCommands } from './harness';

const MODEM: CommandTable = { name: 'Modem', commands: [{ pattern: '^AT(.*)$', reply: 'OK' }] };
const WITH_PRESET = commandsState(CLASSIC_TABLE, {
  presets: [
    { name: 'Classic', builtIn: true, table: CLASSIC_TABLE },
    { name: 'Modem', builtIn: false, table: MODEM },
  ],
});

const button = (name: string): HTMLButtonElement => screen.getByRole('button', { name });
const textbox = (name: string): HTMLInputElement => screen.getByRole('textbox', { name });
const fileInput = (): HTMLInputElement => screen.getByLabelText('Table file to import');

/** jsdom's File has no text(); the browser's has, and the card reads files with it. */
function textFile(content: string, name: string): File {
  const file = new File([content], name, { type: 'application/json' });
  Object.defineProperty(file, 'text', { value: () => Promise.resolve(content) });
  return file;
}

function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.readAsText(blob);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('PresetsCard', () => {
  it('lists the built-in preset first and never deletes it', () => {
    renderCommands(WITH_PRESET);
    const select = screen.getByRole('combobox', { name: 'Preset' });
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Classic (built in)', 'Modem']);
    expect(button('Delete preset').disabled).toBe(true);
  });

  it('loads a preset into the draft, for Apply to serve', async () => {
    const user = userEvent.setup();
    const { fake } = renderCommands(WITH_PRESET);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Preset' }), 'Modem');
    await user.click(button('Load preset'));
    expect(textbox('Rule 1 pattern').value).toBe('^AT(.*)$');
    expect(screen.queryByRole('textbox', { name: 'Rule 2 word' })).toBeNull();
    expect(fake.requests('commands:apply')).toEqual([]);
    await user.click(button('Apply'));
    expect(fake.requests('commands:apply')).toEqual([MODEM]);
  });

  it('saves the draft under a name, and shows main’s refusal by the name', async () => {
    const user = userEvent.setup();
    const { fake } = renderCommands(WITH_PRESET);
    expect(button('Save as preset').disabled).toBe(true);
    await user.type(textbox('Preset name'), 'modem');
    expect(screen.getByText('Replaces the saved preset Modem.')).toBeTruthy();
    await user.clear(textbox('Preset name'));
    await user.type(textbox('Preset name'), ' Lab ');
    await user.click(button('Save as preset'));
    expect(fake.requests('commands:savePreset')).toEqual([{ name: 'Lab', table: CLASSIC_TABLE }]);
    expect(textbox('Preset name').value).toBe('');

    fake.answer('commands:savePreset', () => ({
      ok: false,
      error: 'name: Classic is the built-in preset; choose another name',
      issues: [{ field: 'name', message: 'Classic is the built-in preset; choose another name' }],
    }));
    await user.type(textbox('Preset name'), 'Classic{enter}');
    const name = textbox('Preset name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'name: Classic is the built-in preset; choose another name',
    );
  });

  it('does not save a table with problems', async () => {
    const user = userEvent.setup();
    renderCommands();
    await user.clear(textbox('Rule 1 word'));
    await user.type(textbox('Preset name'), 'Broken');
    expect(button('Save as preset').disabled).toBe(true);
    expect(screen.getByText('Fix the table’s problems to save it.')).toBeTruthy();
    expect(button('Export').disabled).toBe(true);
  });

  it('deletes a saved preset, with an undo that saves it again', async () => {
    const user = userEvent.setup();
    const { fake } = renderCommands(WITH_PRESET);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Preset' }), 'Modem');
    await user.click(button('Delete preset'));
    expect(fake.requests('commands:deletePreset')).toEqual([{ name: 'Modem' }]);
    await user.click(button('Undo delete'));
    expect(fake.requests('commands:savePreset')).toEqual([{ name: 'Modem', table: MODEM }]);
    expect(screen.getByText('Preset restored.')).toBeTruthy();
  });

  it('imports a good file into the draft', async () => {
    const user = userEvent.setup();
    renderCommands();
    const file = textFile(JSON.stringify(MODEM), 'modem.json');
    await user.upload(fileInput(), file);
    expect(await screen.findByText('Imported modem.json; Apply serves it.')).toBeTruthy();
    expect(textbox('Rule 1 pattern').value).toBe('^AT(.*)$');
  });

  it('refuses a file with a syntax error, naming the line and column, and keeps the draft', async () => {
    const user = userEvent.setup();
    renderCommands();
    await user.type(textbox('Rule 1 word'), '2');
    const file = textFile('{\n  "commands": [\n    { "name": "A" "reply": "a" }\n  ]\n}\n', 'bad.json');
    await user.upload(fileInput(), file);
    const report = await screen.findByText('Not imported: bad.json has problems.');
    expect(report.parentElement?.textContent).toContain('line 3, column 19: not valid JSON');
    expect(textbox('Rule 1 word').value).toBe('SONG2');
  });

  it('imports a well-formed file with a bad pattern and marks it in the editor', async () => {
    const user = userEvent.setup();
    renderCommands();
    await user.upload(fileInput(), textFile('{"commands":[{"pattern":"(a","reply":"x"}]}', 't.json'));
    expect(await screen.findByText('Imported t.json with a problem, marked in the editor.')).toBeTruthy();
    expect(textbox('Rule 1 pattern').getAttribute('aria-invalid')).toBe('true');
  });

  it('exports the draft as a §5 file that reads back as the same table', async () => {
    const user = userEvent.setup();
    renderCommands();
    let blob: Blob | null = null;
    // jsdom has no object URLs and does not download; catch what would be saved.
    URL.createObjectURL = vi.fn((b: Blob) => {
      blob = b;
      return 'blob:test';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await user.type(textbox('Rule 1 reply'), '{enter}second line');
    await user.click(button('Export'));

    expect(click).toHaveBeenCalledOnce();
    const link = click.mock.contexts[0] as HTMLAnchorElement;
    // An edited Classic is not Classic: neither its file name nor its table says so.
    expect(link.download).toBe('command-table.json');
    const text = await blobText(blob as unknown as Blob);
    const table = {
      ...CLASSIC_TABLE,
      name: undefined,
      commands: [
        { name: 'SONG', reply: ['Old McDonald had a farm, E-I-E-I-O!', 'second line'] },
        ...CLASSIC_TABLE.commands.slice(1),
      ],
    };
    expect(parseTableFile(text)).toEqual({ ok: true, table: { $schema: TABLE_SCHEMA_ID, ...table } });

    // Saved as a preset, the draft is that preset: Export names the file and the table after it.
    await user.type(textbox('Preset name'), 'My mock{enter}');
    await screen.findByText('Saved preset My mock.');
    await user.click(button('Export'));
    expect((click.mock.contexts[1] as HTMLAnchorElement).download).toBe('my-mock.json');
    expect(JSON.parse(await blobText(blob as unknown as Blob))).toMatchObject({ name: 'My mock' });
  });

  it('picks the applied table’s preset, and none for an edited table no preset holds', () => {
    const picker = (): HTMLSelectElement => screen.getByRole('combobox', { name: 'Preset' });
    const shown = (): string => picker().selectedOptions[0]?.textContent ?? '';
    const { push } = renderCommands(commandsState(MODEM, { presets: WITH_PRESET.presets }));
    expect(shown()).toBe('Modem');
    expect(button('Delete preset').disabled).toBe(false);
    // The applied table is Classic's rules minus one, still called Classic: not the built-in preset.
    const edited = { ...CLASSIC_TABLE, commands: CLASSIC_TABLE.commands.slice(1) };
    push(commandsState(edited, { presets: WITH_PRESET.presets }));
    expect(shown()).toBe('Choose a preset');
    expect(button('Load preset').disabled).toBe(true);
    expect(button('Delete preset').disabled).toBe(true);
    expect(screen.queryByText('Unapplied changes')).toBeNull();
  });
});
