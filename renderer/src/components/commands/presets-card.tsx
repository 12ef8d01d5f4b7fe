/**
 * Presets and files: load a saved table (the classic one is always there)
 * into the draft, save the draft as a preset, delete one, and import or
 * export the draft as a docs/command-tables.md file.
 */
import { useMemo, useRef, useState, type ChangeEvent, type ReactElement } from 'react';
import type { CommandPreset } from '../../../../electron/shared/ipc/models';
import type { CommandTable } from '../../../../electron/shared/protocol/command-table';
import type { CommandsEditor } from '../../hooks/use-commands';
import { downloadText } from '../../lib/download';
import { messageOf } from '../../lib/format';
import { tableKey } from './table-draft';
import { readTableFile, tableFileName, tableFileText } from './table-file';

const IDS = { preset: 'preset-select', name: 'preset-name', file: 'table-file' };

/** What the last action came to; one line under the card's controls. */
type Report =
  { tone: 'ok'; text: string; canRestore?: boolean } | { tone: 'error'; text: string; lines?: string[] };

export function PresetsCard({ editor }: { editor: CommandsEditor }): ReactElement {
  const { presets, table: appliedTable } = editor.server;
  /** The preset the user picked; null until they pick one, while the picker shows the applied table's. */
  const [selected, setSelected] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const applied = useMemo(() => appliedPreset(presets, appliedTable), [presets, appliedTable]);
  // A deleted preset leaves the list; the picker falls back to the applied table's preset, if it is one.
  const current = presets.find((p) => p.name === selected) ?? applied;
  const valid = editor.check.ok;
  const trimmed = name.trim();
  const replaces = presets.find((p) => !p.builtIn && p.name.toLowerCase() === trimmed.toLowerCase());

  const load = (): void => {
    if (!current) return;
    editor.load(current.table, `Loaded preset ${current.name}.`);
    const served = tableKey(current.table) === tableKey(appliedTable);
    setReport({
      tone: 'ok',
      text: served
        ? `Loaded ${current.name} into the editor; the server already answers with it.`
        : `Loaded ${current.name} into the editor; Apply serves it.`,
    });
  };

  const save = async (): Promise<void> => {
    const error = await editor.savePreset(trimmed);
    setNameError(error);
    if (error) return;
    setSelected(trimmed);
    setName('');
    setReport({ tone: 'ok', text: `Saved preset ${trimmed}.` });
  };

  const remove = async (): Promise<void> => {
    if (!current || current.builtIn) return;
    const error = await editor.deletePreset(current.name);
    setReport(
      error
        ? { tone: 'error', text: `Not deleted: ${error}` }
        : { tone: 'ok', text: `Deleted preset ${current.name}.`, canRestore: true },
    );
  };

  const restore = async (): Promise<void> => {
    const error = await editor.restoreDeleted();
    setReport(
      error ? { tone: 'error', text: `Not restored: ${error}` } : { tone: 'ok', text: 'Preset restored.' },
    );
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    // Cleared so that picking the same file again (after fixing it) reads it again.
    input.value = '';
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setReport({ tone: 'error', text: `Could not read ${file.name}: ${messageOf(error)}` });
      return;
    }
    const result = readTableFile(text);
    if (!result.ok) {
      setReport({ tone: 'error', text: `Not imported: ${file.name} has problems.`, lines: result.messages });
      return;
    }
    editor.load(result.table, `Imported ${file.name}.`);
    const n = result.issues.length;
    setReport(
      n === 0
        ? { tone: 'ok', text: `Imported ${file.name}; Apply serves it.` }
        : {
            tone: 'error',
            text: `Imported ${file.name} with ${n === 1 ? 'a problem' : `${n} problems`}, marked in the editor.`,
          },
    );
  };

  const exportFile = (): void => {
    const { table } = editor.check;
    downloadText(tableFileName(table), tableFileText(table), 'application/json');
  };

  return (
    <section className="card presets-card">
      <header className="card-header">
        <h2 className="card-title">Presets</h2>
      </header>
      <div className="field">
        <label className="field-label" htmlFor={IDS.preset}>
          Preset
        </label>
        <select
          id={IDS.preset}
          className="input select"
          value={current?.name ?? ''}
          onChange={(e) => setSelected(e.target.value)}
        >
          {current ? null : (
            // The applied table is none of the presets (an edited one, not saved): the picker says so.
            <option value="" disabled>
              Choose a preset
            </option>
          )}
          {presets.map((p) => (
            <option key={p.name} value={p.name}>
              {p.builtIn ? `${p.name} (built in)` : p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="button-row">
        <button type="button" className="button button--small" disabled={!current} onClick={load}>
          Load preset
        </button>
        <button
          type="button"
          className="button button--small button--quiet"
          disabled={!current || current.builtIn}
          title={current?.builtIn ? `${current.name} is built in and cannot be deleted` : undefined}
          onClick={() => void remove()}
        >
          Delete preset
        </button>
      </div>

      <form
        className="preset-save"
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed !== '' && valid) void save();
        }}
      >
        <div className={`field${nameError ? ' field--invalid' : ''}`}>
          <label className="field-label" htmlFor={IDS.name}>
            Preset name
          </label>
          <input
            id={IDS.name}
            className="input"
            value={name}
            placeholder="My protocol"
            onChange={(e) => {
              setName(e.target.value);
              setNameError(null);
            }}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={`${IDS.name}-note`}
          />
          <p className={nameError ? 'field-error' : 'field-hint'} id={`${IDS.name}-note`}>
            {nameError ??
              (!valid
                ? 'Fix the table’s problems to save it.'
                : replaces
                  ? `Replaces the saved preset ${replaces.name}.`
                  : 'Saves the editor’s table under this name.')}
          </p>
        </div>
        <button type="submit" className="button button--small" disabled={trimmed === '' || !valid}>
          Save as preset
        </button>
      </form>

      <div className="preset-files">
        <span className="field-label">File</span>
        <div className="button-row">
          <button type="button" className="button button--small" onClick={() => fileInput.current?.click()}>
            Import…
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={!valid}
            title={
              valid ? 'Download the editor’s table as a JSON file' : 'Fix the table’s problems to export it'
            }
            onClick={exportFile}
          >
            Export
          </button>
        </div>
        <input
          ref={fileInput}
          id={IDS.file}
          type="file"
          accept=".json,application/json"
          aria-label="Table file to import"
          hidden
          onChange={(e) => void importFile(e)}
        />
      </div>
      {report ? <PresetsReport report={report} onRestore={() => void restore()} /> : null}
    </section>
  );
}

function PresetsReport({ report, onRestore }: { report: Report; onRestore: () => void }): ReactElement {
  return (
    <div className={`presets-report presets-report--${report.tone}`} role="status">
      <p>{report.text}</p>
      {report.tone === 'error' && report.lines ? (
        <ul className="presets-report-lines">
          {report.lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
      {report.tone === 'ok' && report.canRestore ? (
        <button type="button" className="button button--small" onClick={onRestore}>
          Undo delete
        </button>
      ) : null}
    </div>
  );
}

/**
 * The preset the server's table is: one that answers alike and has its
 * name, else one that answers alike; none for an edited table not saved.
 */
export function appliedPreset(
  presets: readonly CommandPreset[],
  table: CommandTable,
): CommandPreset | undefined {
  const key = tableKey(table);
  const alike = presets.filter((p) => tableKey(p.table) === key);
  return alike.find((p) => p.name === table.name) ?? alike[0];
}
