/**
 * The listener's faults (docs/window.md, "Faults"): Toxiproxy's toxics with
 * their attributes, stream and toxicity. Each one's state shows at a glance
 * (acting on how many open connections, waiting for Start, or waiting for
 * forward mode), and every change reaches open connections at once. The
 * form checks a toxic with the table format's schema as it is typed; main
 * checks the whole list again and has the last word.
 */
import { useId, useState, type ReactElement, type SyntheticEvent } from 'react';
import type { FaultIssue, FaultsState, FaultsOutcome } from '../../../electron/shared/ipc/listener-tools';
import {
  TOXIC_ATTRIBUTES,
  TOXIC_TYPES,
  toxicSchema,
  type Toxic,
  type ToxicField,
  type ToxicType,
} from '../../../electron/shared/protocol/toxics';
import { parseDecimal } from '../lib/settings-form';
import { SelectField, TextField } from './field';
import './faults-panel.css';

/** Each attribute's label and unit, as Toxiproxy documents them. */
export const ATTRIBUTE_UNITS: Record<string, string> = {
  latency: 'ms',
  jitter: 'ms',
  rate: 'KB/s',
  delay: 'ms',
  timeout: 'ms',
  average_size: 'bytes',
  size_variation: 'bytes',
  bytes: 'bytes',
};

/** What each type does, in a few words. */
export const TOXIC_HINTS: Record<ToxicType, string> = {
  latency: 'Delays data by latency ± jitter.',
  bandwidth: 'Limits the rate to rate KB/s.',
  slow_close: 'Delays the close by delay.',
  timeout: 'Stops data, closes after timeout (0: never).',
  reset_peer: 'Resets the connection after timeout.',
  slicer: 'Cuts data into slices, delay µs apart.',
  limit_data: 'Closes once bytes have passed.',
};

function unitOf(type: ToxicType, key: string): string {
  // The slicer's delay is in microseconds, the slow close's in milliseconds.
  return type === 'slicer' && key === 'delay' ? 'µs' : (ATTRIBUTE_UNITS[key] ?? '');
}

function attributeKeys(type: ToxicType): string[] {
  return Object.keys(TOXIC_ATTRIBUTES[type].shape);
}

/** A toxic as the form holds it: text as typed. */
export interface ToxicDraft {
  type: ToxicType;
  name: string;
  stream: 'upstream' | 'downstream';
  toxicity: string;
  attributes: Record<string, string>;
}

export function emptyDraft(type: ToxicType = 'latency', taken: readonly string[] = []): ToxicDraft {
  let name = `${type}_downstream`;
  for (let n = 2; taken.includes(name); n++) name = `${type}_downstream_${n}`;
  return {
    type,
    name,
    stream: 'downstream',
    toxicity: '1',
    attributes: Object.fromEntries(attributeKeys(type).map((k) => [k, '0'])),
  };
}

export function draftOf(toxic: Toxic): ToxicDraft {
  return {
    type: toxic.type,
    name: toxic.name,
    stream: toxic.stream,
    toxicity: String(toxic.toxicity),
    attributes: Object.fromEntries(
      attributeKeys(toxic.type).map((k) => [k, String(toxic.attributes[k] ?? 0)]),
    ),
  };
}

/** The toxic as the table format writes it, from a draft (numbers read as typed, so bad ones fail the schema). */
export function fieldOf(draft: ToxicDraft): unknown {
  const attributes: Record<string, number> = {};
  for (const key of attributeKeys(draft.type)) attributes[key] = parseDecimal(draft.attributes[key] ?? '');
  return {
    name: draft.name.trim(),
    type: draft.type,
    stream: draft.stream,
    toxicity: parseDecimal(draft.toxicity),
    attributes,
  };
}

export type DraftErrors = Record<string, string>;

/** Checks one draft with the table format's schema: the field, or `attributes.KEY`, and its message. */
export function checkToxicDraft(
  draft: ToxicDraft,
  others: readonly Toxic[],
): { ok: true; toxic: ToxicField } | { ok: false; errors: DraftErrors } {
  const parsed = toxicSchema.safeParse(fieldOf(draft));
  const errors: DraftErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join('.') || 'name';
      errors[key] ??= issue.message;
    }
    return { ok: false, errors };
  }
  if (others.some((t) => t.name === parsed.data.name)) {
    return { ok: false, errors: { name: `${parsed.data.name} is already the name of a fault` } };
  }
  return { ok: true, toxic: parsed.data };
}

/** `latency 300 ms, jitter 0 ms`. */
export function describeAttributes(toxic: Toxic): string {
  return attributeKeys(toxic.type)
    .map((k) => `${k.replace('_', ' ')} ${toxic.attributes[k] ?? 0} ${unitOf(toxic.type, k)}`)
    .join(', ');
}

/** The state a toxic is in, in a word or two, and its tone. */
export function toxicState(
  toxic: Toxic,
  faults: FaultsState,
  kind: 'mock' | 'forward',
): { label: string; tone: 'on' | 'partial' | 'waiting' | 'off' } {
  if (!faults.acting) return { label: 'Waiting for Start', tone: 'waiting' };
  // A mock server's toxics act on every connection it has (main counts per connection only when forwarding).
  if (kind === 'mock') return { label: `Active · ${faults.connections} open`, tone: 'on' };
  const on = faults.active[toxic.name] ?? 0;
  if (faults.connections === 0) return { label: 'Active · no connections', tone: 'on' };
  const label = `Acting on ${on} of ${faults.connections}`;
  return { label, tone: on === faults.connections ? 'on' : on === 0 ? 'waiting' : 'partial' };
}

interface FaultsPanelProps {
  faults: FaultsState | null;
  /** What the settings say the listener is (or will be at Start). */
  kind: 'mock' | 'forward';
  onSet: (toxics: readonly ToxicField[]) => Promise<FaultsOutcome | null>;
}

type Editing = { index: number | null; draft: ToxicDraft } | null;

export function FaultsPanel({ faults, kind, onSet }: FaultsPanelProps): ReactElement {
  const titleId = useId();
  const [editing, setEditing] = useState<Editing>(null);
  const [mainError, setMainError] = useState<string | null>(null);
  const [mainIssues, setMainIssues] = useState<FaultIssue[]>([]);
  const toxics = faults?.toxics ?? [];

  const others = editing ? toxics.filter((_, i) => i !== editing.index) : toxics;
  const check = editing ? checkToxicDraft(editing.draft, others) : null;
  const errors: DraftErrors = check && !check.ok ? check.errors : {};
  // Main's word on the toxic being edited, while it is unchanged.
  for (const issue of mainIssues) {
    const key = issue.field || 'name';
    if (
      editing &&
      (issue.index === editing.index || (editing.index === null && issue.index === toxics.length))
    )
      errors[key] ??= issue.message;
  }

  const commit = async (next: ToxicField[]): Promise<boolean> => {
    const outcome = await onSet(next);
    if (!outcome) return false;
    if (!outcome.ok) {
      setMainError(outcome.error);
      setMainIssues(outcome.issues);
      return false;
    }
    setMainError(null);
    setMainIssues([]);
    return true;
  };

  const onSubmit = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (!editing || !check?.ok) return;
    const next: ToxicField[] = [...toxics];
    if (editing.index === null) next.push(check.toxic);
    else next[editing.index] = check.toxic;
    void commit(next).then((ok) => ok && setEditing(null));
  };

  const remove = (index: number): void => {
    void commit(toxics.filter((_, i) => i !== index));
    if (editing?.index === index) setEditing(null);
  };

  const change = (update: Partial<ToxicDraft>): void => {
    setMainIssues([]);
    setEditing((e) => (e ? { ...e, draft: { ...e.draft, ...update } } : e));
  };

  const badge = faults?.acting
    ? `${toxics.length === 0 ? 'None' : `${toxics.length} on`} · ${faults.connections} open`
    : null;

  return (
    <section className="card faults" aria-labelledby={titleId}>
      <header className="card-header">
        <h2 className="card-title" id={titleId}>
          Faults
        </h2>
        {badge ? <span className="card-badge">{badge}</span> : null}
      </header>
      {toxics.length === 0 ? (
        <p className="card-footnote">
          No faults. Add Toxiproxy’s toxics (latency, bandwidth, timeouts…); they apply at once to open
          connections.
        </p>
      ) : (
        <ul className="faults-list" aria-label="Faults">
          {toxics.map((toxic, index) => {
            const state = faults ? toxicState(toxic, faults, kind) : { label: '', tone: 'waiting' as const };
            return (
              <li key={toxic.name} className="fault" aria-label={`Fault ${toxic.name}`}>
                <div className="fault-head">
                  <span className="fault-name">{toxic.name}</span>
                  <span className={`fault-state fault-state--${state.tone}`} role="status">
                    {state.label}
                  </span>
                </div>
                <p className="fault-facts">
                  {toxic.type} · {toxic.stream} · {Math.round(toxic.toxicity * 100)}%
                </p>
                <p className="fault-attributes">{describeAttributes(toxic)}</p>
                <div className="fault-actions">
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    aria-label={`Edit fault ${toxic.name}`}
                    onClick={() => {
                      setMainIssues([]);
                      setEditing({ index, draft: draftOf(toxic) });
                    }}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button--small button--quiet"
                    aria-label={`Remove fault ${toxic.name}`}
                    onClick={() => remove(index)}
                  >
                    Remove
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {editing ? (
        <form
          className="fault-form"
          aria-label={
            editing.index === null ? 'New fault' : `Edit fault ${toxics[editing.index]?.name ?? ''}`
          }
          onSubmit={onSubmit}
        >
          <SelectField
            id="fault-type"
            label="Type"
            value={editing.draft.type}
            options={TOXIC_TYPES.map((t) => ({ value: t, label: t }))}
            hint={TOXIC_HINTS[editing.draft.type]}
            onChange={(v) => {
              const type = TOXIC_TYPES.find((t) => t === v) ?? 'latency';
              const fresh = emptyDraft(
                type,
                others.map((t) => t.name),
              );
              change({
                type,
                attributes: fresh.attributes,
                // A name still saying the old type follows the new one.
                ...(editing.draft.name.startsWith(editing.draft.type) ? { name: fresh.name } : {}),
              });
            }}
          />
          <TextField
            id="fault-name"
            label="Name"
            value={editing.draft.name}
            error={errors.name}
            onChange={(v) => change({ name: v })}
          />
          <SelectField
            id="fault-stream"
            label="Stream"
            value={editing.draft.stream}
            options={[
              { value: 'downstream', label: 'downstream (to clients)' },
              { value: 'upstream', label: 'upstream (from clients)' },
            ]}
            onChange={(v) => change({ stream: v === 'upstream' ? 'upstream' : 'downstream' })}
          />
          <TextField
            id="fault-toxicity"
            label="Toxicity (0–1)"
            layout="inline"
            inputMode="decimal"
            value={editing.draft.toxicity}
            error={errors.toxicity}
            onChange={(v) => change({ toxicity: v })}
          />
          {attributeKeys(editing.draft.type).map((key) => (
            <TextField
              key={`${editing.draft.type}-${key}`}
              id={`fault-attr-${key}`}
              label={`${key.replace('_', ' ')} (${unitOf(editing.draft.type, key)})`}
              layout="inline"
              inputMode="numeric"
              value={editing.draft.attributes[key] ?? ''}
              error={errors[`attributes.${key}`]}
              onChange={(v) => change({ attributes: { ...editing.draft.attributes, [key]: v } })}
            />
          ))}
          <div className="fault-form-actions">
            <button type="submit" className="button button--small button--primary" disabled={!check?.ok}>
              {editing.index === null ? 'Add fault' : 'Save fault'}
            </button>
            <button
              type="button"
              className="button button--small button--quiet"
              onClick={() => {
                setMainIssues([]);
                setEditing(null);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          className="button button--small"
          disabled={faults === null}
          onClick={() =>
            setEditing({
              index: null,
              draft: emptyDraft(
                'latency',
                toxics.map((t) => t.name),
              ),
            })
          }
        >
          New fault
        </button>
      )}
      {mainError ? (
        <p className="save-error" role="alert">
          Faults not changed: {mainError}
        </p>
      ) : null}
    </section>
  );
}
