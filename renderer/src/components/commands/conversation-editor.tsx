/**
 * The table-wide parts of the conversation (docs/command-tables.md): how
 * requests are framed (with a live preview of a sample cut into requests),
 * the reply ending, the greeting, the pushes, and the states the table uses.
 * Each field's problem is shown right under it, in the server's words.
 */
import { useEffect, useId, useState, type ReactElement } from 'react';
import type { CommandTable } from '../../../../electron/shared/protocol/command-table';
import { escapeControlChars } from '../../../../electron/shared/protocol/text';
import { wireText } from '../../lib/wire-text';
import type { TrialOutcome, TrialRequest } from '../../../../electron/shared/protocol/table-trial';
import type { PlacedIssues, PushField } from './draft-check';
import { describeByteTemplate } from './hex-readout';
import { DeleteIcon, PlusIcon } from './rule-icons';
import {
  FRAMING_KINDS,
  NEW_PUSH,
  framingFromDraft,
  statesOfTable,
  type FramingDraft,
  type FramingKind,
  type PushDraft,
} from './conversation-draft';
import { newRuleId, type TableDraft } from './table-draft';

/** DOM ids of the table-wide fields, for labels, messages and "go to the first problem". */
export const CONVERSATION_IDS = {
  framing: 'framing-kind',
  delimiter: 'framing-delimiter',
  fixed: 'framing-fixed',
  offset: 'framing-offset',
  size: 'framing-size',
  endian: 'framing-endian',
  adjust: 'framing-adjust',
  gapMs: 'framing-gap',
  replyEnding: 'reply-ending',
  greeting: 'greeting',
  addPush: 'add-push',
} as const;

export function pushFieldId(pushId: string, field: PushField | 'delete'): string {
  return `${pushId}-${field}`;
}

type Change = (change: (draft: TableDraft) => TableDraft) => void;
type Try = (req: TrialRequest) => Promise<TrialOutcome>;

const ENDINGS: readonly { value: string; label: string }[] = [
  { value: '\r\n', label: 'CR LF' },
  { value: '\n', label: 'LF' },
  { value: '\r', label: 'CR' },
  { value: '', label: 'Nothing' },
];
const DEFAULT_ENDING = 'default';

/** A field's problem under it, or its hint. */
function Note({
  id,
  error,
  hint,
}: {
  id: string;
  error?: string | undefined;
  hint?: string;
}): ReactElement | null {
  if (error) {
    return (
      <p className="field-error" id={`${id}-error`}>
        {error}
      </p>
    );
  }
  return hint ? (
    <p className="field-hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;
}

function described(id: string, error: string | undefined, hint: boolean): string | undefined {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

interface FieldProps {
  id: string;
  label: string;
  value: string;
  error?: string | undefined;
  hint?: string;
  placeholder?: string;
  numeric?: boolean;
  onChange: (value: string) => void;
}

function Field({ id, label, value, error, hint, placeholder, numeric, onChange }: FieldProps): ReactElement {
  return (
    <div className="conv-field">
      <label className="rule-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={`input ${numeric ? 'input--number' : 'input--mono'}`}
        value={value}
        placeholder={placeholder}
        inputMode={numeric ? 'numeric' : undefined}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={described(id, error, hint !== undefined)}
      />
      <Note id={id} error={error} {...(hint !== undefined ? { hint } : {})} />
    </div>
  );
}

export function FramingEditor({
  draft,
  placed,
  edit,
  tryTable,
}: {
  draft: TableDraft;
  placed: PlacedIssues;
  edit: Change;
  tryTable: Try;
}): ReactElement {
  const f = draft.framing;
  const errors = placed.framing;
  const set = (patch: Partial<FramingDraft>): void =>
    edit((d) => ({ ...d, framing: { ...d.framing, ...patch } }));
  const ids = CONVERSATION_IDS;
  const custom = draft.replyEnding !== null && !ENDINGS.some((e) => e.value === draft.replyEnding);
  return (
    <section className="conv-section" aria-labelledby="framing-title">
      <h3 className="builtins-title" id="framing-title">
        Framing
      </h3>
      <p className="builtins-note">How the bytes a client sends are cut into requests.</p>
      <div className="conv-row">
        <div className="conv-field conv-field--wide">
          <label className="rule-label" htmlFor={ids.framing}>
            Requests are
          </label>
          <select
            id={ids.framing}
            className="input select"
            aria-label="Framing kind"
            value={f.kind}
            onChange={(e) => set({ kind: e.target.value as FramingKind })}
            aria-invalid={errors.kind ? true : undefined}
            aria-describedby={described(ids.framing, errors.kind, false)}
          >
            {FRAMING_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
          <Note id={ids.framing} error={errors.kind} />
        </div>
        <div className="conv-field">
          <label className="rule-label" htmlFor={ids.replyEnding}>
            Reply ending
          </label>
          <select
            id={ids.replyEnding}
            className="input select"
            value={draft.replyEnding ?? DEFAULT_ENDING}
            onChange={(e) =>
              edit((d) => ({ ...d, replyEnding: e.target.value === DEFAULT_ENDING ? null : e.target.value }))
            }
            aria-invalid={placed.replyEnding ? true : undefined}
            aria-describedby={described(ids.replyEnding, placed.replyEnding, false)}
          >
            <option value={DEFAULT_ENDING}>Default (CR LF after lines)</option>
            {ENDINGS.map((e) => (
              <option key={e.label} value={e.value}>
                {e.label}
              </option>
            ))}
            {custom && draft.replyEnding !== null ? (
              <option value={draft.replyEnding}>{escapeControlChars(draft.replyEnding)}</option>
            ) : null}
          </select>
          <Note id={ids.replyEnding} error={placed.replyEnding} />
        </div>
      </div>
      {f.kind === 'delimiter' ? (
        <div className="conv-row">
          <Field
            id={ids.delimiter}
            label="Delimiter"
            value={f.delimiter}
            error={errors.delimiter}
            hint="Escapes: \r \n \t \0 \xHH, \\ for a backslash."
            placeholder="\r\n.\r\n"
            onChange={(delimiter) => set({ delimiter })}
          />
        </div>
      ) : null}
      {f.kind === 'fixed' ? (
        <div className="conv-row">
          <Field
            id={ids.fixed}
            label="Frame length (bytes)"
            value={f.fixed}
            error={errors.fixed}
            numeric
            placeholder="8"
            onChange={(fixed) => set({ fixed })}
          />
        </div>
      ) : null}
      {f.kind === 'lengthField' ? (
        <>
          <div className="conv-row">
            <Field
              id={ids.offset}
              label="Field offset"
              value={f.offset}
              error={errors.offset}
              numeric
              onChange={(offset) => set({ offset })}
            />
            <div className="conv-field">
              <label className="rule-label" htmlFor={ids.size}>
                Field size
              </label>
              <select
                id={ids.size}
                className="input select"
                value={f.size}
                onChange={(e) => set({ size: e.target.value as FramingDraft['size'] })}
              >
                <option value="1">1 byte</option>
                <option value="2">2 bytes</option>
                <option value="4">4 bytes</option>
              </select>
            </div>
            <div className="conv-field">
              <label className="rule-label" htmlFor={ids.endian}>
                Byte order
              </label>
              <select
                id={ids.endian}
                className="input select"
                value={f.endian}
                onChange={(e) => set({ endian: e.target.value as FramingDraft['endian'] })}
              >
                <option value="big">Big endian</option>
                <option value="little">Little endian</option>
              </select>
            </div>
            <Field
              id={ids.adjust}
              label="Adjustment"
              value={f.adjust}
              error={errors.adjust}
              numeric
              onChange={(adjust) => set({ adjust })}
            />
          </div>
          <p className="field-hint">
            A frame is offset + size + the field’s value + adjustment bytes long (Modbus TCP: 4, 2 bytes, big,
            0).
          </p>
        </>
      ) : null}
      {f.kind === 'raw' ? (
        <div className="conv-row">
          <Field
            id={ids.gapMs}
            label="Quiet gap (ms)"
            value={f.gapMs}
            error={errors.gapMs}
            numeric
            hint="A request is what arrived before the client paused this long."
            onChange={(gapMs) => set({ gapMs })}
          />
        </div>
      ) : null}
      <FramingPreview draft={draft} valid={Object.keys(errors).length === 0} tryTable={tryTable} />
    </section>
  );
}

type InputAs = TrialRequest['inputMode'];

/** What the sample input turns into with the framing as it is now: each request, and what is left. */
function FramingPreview({
  draft,
  valid,
  tryTable,
}: {
  draft: TableDraft;
  valid: boolean;
  tryTable: Try;
}): ReactElement {
  const [sample, setSample] = useState('HELO me\\r\\nDATA\\r\\n');
  const [as, setAs] = useState<InputAs>('escapes');
  const [outcome, setOutcome] = useState<TrialOutcome | null>(null);
  const framing = framingFromDraft(draft.framing);
  const key = JSON.stringify(framing ?? 'lf');
  useEffect(() => {
    if (!valid) return undefined;
    let current = true;
    const table: CommandTable = {
      commands: [],
      ...(framing !== undefined ? { framing } : {}),
      builtins: { help: false, quit: false },
      unknown: '',
    };
    void tryTable({ table, input: sample, inputMode: as }).then((result) => {
      if (current) setOutcome(result);
    });
    return () => {
      current = false;
    };
    // The framing's key stands for the framing object, which is new on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, sample, as, valid, tryTable]);
  const hintId = useId();
  return (
    <div className="framing-preview">
      <div className="conv-row">
        <div className="conv-field conv-field--wide">
          <label className="rule-label" htmlFor="framing-sample">
            Sample input
          </label>
          <input
            id="framing-sample"
            className="input input--mono"
            value={sample}
            onChange={(e) => setSample(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-describedby={hintId}
          />
        </div>
        <div className="conv-field">
          <label className="rule-label" htmlFor="framing-sample-as">
            Sample as
          </label>
          <select
            id="framing-sample-as"
            className="input select"
            value={as}
            onChange={(e) => setAs(e.target.value as InputAs)}
          >
            <option value="escapes">Text with escapes</option>
            <option value="text">Text</option>
            <option value="hex">Hex</option>
          </select>
        </div>
      </div>
      <div className="framing-cut" id={hintId} role="region" aria-live="polite" aria-label="Framing preview">
        {!valid ? (
          <p className="field-hint">Fix the framing to see how the sample is cut.</p>
        ) : outcome === null ? null : !outcome.ok ? (
          <p className="field-error">{outcome.error}</p>
        ) : (
          <FrameList outcome={outcome} />
        )}
      </div>
    </div>
  );
}

function FrameList({ outcome }: { outcome: Extract<TrialOutcome, { ok: true }> }): ReactElement {
  return (
    <>
      {outcome.frames.length === 0 ? (
        <p className="field-hint">No request: the sample holds no complete frame.</p>
      ) : (
        <ol className="frame-list">
          {outcome.frames.map((frame, i) => (
            <li key={i} className="frame">
              {frame.overLimit ? (
                <span className="field-error">longer than the max line: the server closes</span>
              ) : (
                <>
                  <code className="frame-text">{wireText(frame.text) || '(empty)'}</code>
                  <span className="frame-hex">{frame.hex || '—'}</span>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {outcome.leftover !== '' ? (
        <p className="field-hint">
          Not a request (an incomplete frame): <span className="frame-hex">{outcome.leftover}</span>
        </p>
      ) : null}
    </>
  );
}

export function GreetingEditor({
  draft,
  placed,
  edit,
}: {
  draft: TableDraft;
  placed: PlacedIssues;
  edit: Change;
}): ReactElement {
  const id = CONVERSATION_IDS.greeting;
  return (
    <section className="conv-section" aria-labelledby="greeting-title">
      <h3 className="builtins-title" id="greeting-title">
        Greeting
      </h3>
      <textarea
        id={id}
        className="input textarea input--mono"
        aria-label="Greeting lines"
        rows={Math.min(4, draft.greeting.split('\n').length + 1)}
        wrap="off"
        value={draft.greeting}
        placeholder="220 mock ESMTP ready"
        onChange={(e) => edit((d) => ({ ...d, greeting: e.target.value }))}
        spellCheck={false}
        aria-invalid={placed.greeting ? true : undefined}
        aria-describedby={described(id, placed.greeting, true)}
      />
      <Note
        id={id}
        error={placed.greeting}
        hint="Sent line by line as soon as a client connects, before it says anything. Empty: no greeting."
      />
    </section>
  );
}

export function PushEditor({
  draft,
  placed,
  edit,
  focusLater,
}: {
  draft: TableDraft;
  placed: PlacedIssues;
  edit: Change;
  focusLater: (id: string) => void;
}): ReactElement {
  const update = (id: string, patch: Partial<PushDraft>): void =>
    edit((d) => ({ ...d, push: d.push.map((p) => (p.id === id ? { ...p, ...patch } : p)) }));
  const add = (): void => {
    const id = newRuleId();
    edit((d) => ({ ...d, push: [...d.push, { ...NEW_PUSH, id }] }));
    focusLater(pushFieldId(id, 'reply'));
  };
  const remove = (id: string): void => {
    edit((d) => ({ ...d, push: d.push.filter((p) => p.id !== id) }));
    focusLater(CONVERSATION_IDS.addPush);
  };
  return (
    <section className="conv-section" aria-labelledby="push-title">
      <h3 className="builtins-title" id="push-title">
        Pushed messages
      </h3>
      <p className="builtins-note">Sent to every open connection on a timer, from its connect.</p>
      {draft.push.length > 0 ? (
        <ol className="push-list">
          {draft.push.map((entry, index) => (
            <PushRow
              key={entry.id}
              entry={entry}
              n={index + 1}
              errors={placed.push[entry.id] ?? {}}
              onChange={(patch) => update(entry.id, patch)}
              onDelete={() => remove(entry.id)}
            />
          ))}
        </ol>
      ) : null}
      <button
        id={CONVERSATION_IDS.addPush}
        type="button"
        className="button button--small add-rule"
        onClick={add}
      >
        <PlusIcon />
        Add push
      </button>
    </section>
  );
}

function PushRow({
  entry,
  n,
  errors,
  onChange,
  onDelete,
}: {
  entry: PushDraft;
  n: number;
  errors: Partial<Record<PushField, string>>;
  onChange: (patch: Partial<PushDraft>) => void;
  onDelete: () => void;
}): ReactElement {
  const id = (field: PushField | 'delete'): string => pushFieldId(entry.id, field);
  const readout =
    entry.replyKind === 'bytes' && !errors.reply && entry.replyBytes.trim() !== ''
      ? describeByteTemplate(entry.replyBytes)
      : null;
  return (
    <li className={`rule push${Object.keys(errors).length > 0 ? ' rule--invalid' : ''}`}>
      <div className="conv-row">
        <h4 className="rule-title push-title">Push {n}</h4>
        <div className="conv-field">
          <label className="rule-label" htmlFor={id('every')}>
            Every (ms)
          </label>
          <input
            id={id('every')}
            className="input input--number"
            aria-label={`Push ${n} every (ms)`}
            inputMode="numeric"
            value={entry.every}
            onChange={(e) => onChange({ every: e.target.value })}
            autoComplete="off"
            aria-invalid={errors.every ? true : undefined}
            aria-describedby={described(id('every'), errors.every, false)}
          />
        </div>
        <div className="conv-field">
          <label className="rule-label" htmlFor={id('state')}>
            In states
          </label>
          <input
            id={id('state')}
            className="input input--mono"
            aria-label={`Push ${n} states`}
            value={entry.state}
            placeholder="any"
            onChange={(e) => onChange({ state: e.target.value })}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={errors.state ? true : undefined}
            aria-describedby={described(id('state'), errors.state, false)}
          />
        </div>
        <div className="conv-field">
          <label className="rule-label" htmlFor={`${entry.id}-kind`}>
            Sends
          </label>
          <select
            id={`${entry.id}-kind`}
            className="input select"
            aria-label={`Push ${n} sends`}
            value={entry.replyKind}
            onChange={(e) => onChange({ replyKind: e.target.value as PushDraft['replyKind'] })}
          >
            <option value="lines">Lines</option>
            <option value="bytes">Bytes (hex)</option>
          </select>
        </div>
        <button
          id={id('delete')}
          type="button"
          className="icon-button rule-action rule-action--danger push-delete"
          aria-label={`Delete push ${n}`}
          title={`Delete push ${n}`}
          onClick={onDelete}
        >
          <DeleteIcon />
        </button>
      </div>
      <Note id={id('every')} error={errors.every} />
      <Note id={id('state')} error={errors.state} />
      {entry.replyKind === 'lines' ? (
        <textarea
          id={id('reply')}
          className="input textarea input--mono"
          aria-label={`Push ${n} lines`}
          rows={Math.min(4, entry.reply.split('\n').length + 1)}
          wrap="off"
          value={entry.reply}
          placeholder="$GPRMC,…"
          onChange={(e) => onChange({ reply: e.target.value })}
          spellCheck={false}
          aria-invalid={errors.reply ? true : undefined}
          aria-describedby={described(id('reply'), errors.reply, false)}
        />
      ) : (
        <input
          id={id('reply')}
          className="input input--mono"
          aria-label={`Push ${n} bytes`}
          value={entry.replyBytes}
          placeholder="00 01 02"
          onChange={(e) => onChange({ replyBytes: e.target.value })}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errors.reply ? true : undefined}
          aria-describedby={described(id('reply'), errors.reply, readout !== null)}
        />
      )}
      {errors.reply ? (
        <Note id={id('reply')} error={errors.reply} />
      ) : readout !== null ? (
        <p className="field-hint" id={`${id('reply')}-hint`}>
          <span className="hex-readout">{readout}</span>
        </p>
      ) : null}
    </li>
  );
}

/** The states the table uses, and which rules move a connection from one to another. */
export function StatesSummary({ table }: { table: CommandTable }): ReactElement | null {
  const { states, moves } = statesOfTable(table);
  if (states.length === 1 && moves.length === 0) return null;
  return (
    <section className="conv-section" aria-labelledby="states-title">
      <h3 className="builtins-title" id="states-title">
        States
      </h3>
      <p className="builtins-note">Every connection starts in start; a rule’s “then” moves it.</p>
      <ul className="state-list" aria-labelledby="states-title">
        {states.map((state) => {
          const out = moves.filter((m) => m.from === null || m.from.includes(state));
          return (
            <li key={state} className="state-item">
              <code className="state-name">{state}</code>
              {out.length === 0 ? (
                <span className="state-moves field-hint">no rule leaves it</span>
              ) : (
                <span className="state-moves">
                  {out.map((m) => (
                    <span key={m.rule} className="state-move">
                      <span aria-hidden="true">→</span>
                      <span className="sr-only">to</span> <code>{m.to}</code>{' '}
                      <span className="field-hint">(rule {m.rule + 1})</span>
                    </span>
                  ))}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
