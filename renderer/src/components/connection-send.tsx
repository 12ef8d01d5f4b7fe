/**
 * A line or bytes for one connection of the listener, or for all of them
 * (docs/window.md, "Talking to connections"): typed as the test client's
 * input is (a text line with its line end, or hex bytes), sent by main and
 * logged as replies.
 */
import { useId, useState, type ReactElement, type SyntheticEvent } from 'react';
import type { ConnectionOutcome, ConnectionSendRequest } from '../../../electron/shared/ipc/listener-tools';
import { decodeInput } from '../../../electron/shared/ipc/client-input';
import { plural } from '../lib/format';
import './listener-tools.css';

/** How the input is read: a text line with CRLF or LF, or hex bytes sent exactly. */
const FORMS = [
  { value: 'crlf', label: 'Line + CRLF' },
  { value: 'lf', label: 'Line + LF' },
  { value: 'hex', label: 'Hex bytes' },
] as const;
type Form = (typeof FORMS)[number]['value'];

interface ConnectionSendProps {
  target: number | 'all';
  /** Why sending is not possible now (stopped, forward mode), or null. */
  unavailable: string | null;
  onSend: (request: ConnectionSendRequest) => Promise<ConnectionOutcome>;
}

export function ConnectionSend({ target, unavailable, onSend }: ConnectionSendProps): ReactElement {
  const id = useId();
  const [text, setText] = useState('');
  const [form, setForm] = useState<Form>('crlf');
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const label = target === 'all' ? 'Send to all connections' : `Send to #${target}`;
  const decoded = decodeInput(text, form === 'hex' ? 'hex' : 'text');
  const invalid = text !== '' && !decoded.ok ? decoded.error : null;

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    if (unavailable || invalid || text === '') return;
    const request: ConnectionSendRequest = {
      conn: target,
      line: text,
      lineEnding: form === 'hex' ? 'none' : form,
      ...(form === 'hex' ? { inputMode: 'hex' as const } : {}),
    };
    void onSend(request).then((outcome) => {
      if (outcome.ok) {
        setText('');
        setNote({
          error: false,
          text: target === 'all' ? `Sent to ${plural(outcome.sent, 'connection')}.` : 'Sent.',
        });
      } else setNote({ error: true, text: outcome.error });
    });
  };

  const message = unavailable ?? invalid ?? note?.text ?? null;
  const isError = unavailable === null && (invalid !== null || (note?.error ?? false));
  return (
    <form className="connection-send" aria-label={label} onSubmit={submit}>
      <input
        id={`${id}-input`}
        className="input"
        type="text"
        aria-label={label}
        placeholder={form === 'hex' ? '48 49 0d 0a' : 'A line to send'}
        value={text}
        spellCheck={false}
        autoComplete="off"
        disabled={unavailable !== null}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={message ? `${id}-note` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setNote(null);
        }}
      />
      <select
        className="input select"
        aria-label={target === 'all' ? 'Send to all as' : `Send to #${target} as`}
        value={form}
        disabled={unavailable !== null}
        onChange={(e) => setForm(FORMS.find((f) => f.value === e.target.value)?.value ?? 'crlf')}
      >
        {FORMS.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="button button--small"
        disabled={unavailable !== null || invalid !== null || text === ''}
      >
        {target === 'all' ? 'Send to all' : 'Send'}
      </button>
      {message ? (
        <p
          id={`${id}-note`}
          className={isError ? 'connection-send-note connection-send-note--error' : 'connection-send-note'}
          role={isError ? 'alert' : 'status'}
        >
          {message}
        </p>
      ) : null}
    </form>
  );
}
