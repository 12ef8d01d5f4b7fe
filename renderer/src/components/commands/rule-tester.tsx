/**
 * The rule tester (docs/window.md): a request typed as text or hex and the
 * state the connection is in; main answers with what a server serving the
 * draft would do — which rule answers and the exact bytes it sends — without
 * starting the server or applying the draft.
 */
import { useState, type ReactElement, type SyntheticEvent } from 'react';
import type { CommandTable } from '../../../../electron/shared/protocol/command-table';
import { wireText } from '../../lib/wire-text';
import type {
  TrialAnswer,
  TrialOutcome,
  TrialRequest,
} from '../../../../electron/shared/protocol/table-trial';
import { statesOfTable } from './conversation-draft';

type InputAs = TrialRequest['inputMode'];

interface RuleTesterProps {
  /** The draft's table, as Apply would send it. */
  table: CommandTable;
  /** Whether the draft has problems: the tester then says so instead of asking main. */
  problems: boolean;
  tryTable: (req: TrialRequest) => Promise<TrialOutcome>;
}

export function RuleTester({ table, problems, tryTable }: RuleTesterProps): ReactElement {
  const [input, setInput] = useState('');
  const [as, setAs] = useState<InputAs>('text');
  const [state, setState] = useState('start');
  const [outcome, setOutcome] = useState<TrialOutcome | null>(null);
  const { states } = statesOfTable(table);
  const chosen = states.includes(state) ? state : 'start';

  const submit = (event: SyntheticEvent): void => {
    event.preventDefault();
    void tryTable({ table, input, inputMode: as, state: chosen }).then(setOutcome);
  };

  return (
    <section className="card rule-tester" aria-labelledby="tester-title">
      <header className="card-header">
        <h2 className="card-title" id="tester-title">
          Rule tester
        </h2>
      </header>
      <form className="tester-form" onSubmit={submit}>
        <label className="rule-label" htmlFor="tester-input">
          Request
        </label>
        <textarea
          id="tester-input"
          className="input textarea input--mono"
          aria-label="Test request"
          rows={2}
          value={input}
          placeholder={as === 'hex' ? '00 01 00 00 00 06 11 03' : 'HELO me'}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          spellCheck={false}
        />
        <div className="tester-options">
          <select
            className="input select"
            aria-label="Test request as"
            value={as}
            onChange={(e) => setAs(e.target.value as InputAs)}
          >
            <option value="text">Text</option>
            <option value="escapes">Escapes</option>
            <option value="hex">Hex</option>
          </select>
          <select
            className="input select"
            aria-label="Test in state"
            value={chosen}
            onChange={(e) => setState(e.target.value)}
          >
            {states.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <button type="submit" className="button button--small button--primary" disabled={problems}>
            Test
          </button>
        </div>
        <p className="card-footnote">
          {problems
            ? 'Fix the table’s problems to test it.'
            : 'Tries the draft as the server would answer it, Shift+Enter for another line.'}
        </p>
      </form>
      <div className="tester-result" role="region" aria-live="polite" aria-label="Test result">
        {outcome === null ? null : !outcome.ok ? (
          <p className="field-error">{outcome.error}</p>
        ) : (
          <TrialResult outcome={outcome} />
        )}
      </div>
    </section>
  );
}

function who(answer: TrialAnswer): string {
  switch (answer.kind) {
    case 'rule':
      return `Rule ${(answer.rule ?? 0) + 1}`;
    case 'help':
      return 'Built-in HELP';
    case 'quit':
      return 'Built-in QUIT';
    case 'unknown':
      return 'The unknown-command reply';
  }
}

function TrialResult({ outcome }: { outcome: Extract<TrialOutcome, { ok: true }> }): ReactElement {
  const greeting = outcome.greeting ? (
    <p className="field-hint trial-greeting">
      On connect it greets with {outcome.greeting.bytes} bytes first:{' '}
      <code>{wireText(outcome.greeting.text.split(/\r?\n/)[0] ?? '')}</code>
      {outcome.greeting.text.split(/\r?\n/).filter(Boolean).length > 1 ? ' …' : ''}
    </p>
  ) : null;
  if (outcome.frames.length === 0) {
    return (
      <>
        {greeting}
        <p className="field-hint">No request: the input holds no complete frame.</p>
      </>
    );
  }
  return (
    <>
      {greeting}
      <ol className="trial-list">
        {outcome.frames.map((frame, i) => (
          <li key={i} className="trial">
            <p className="trial-request">
              <code>{wireText(frame.text) || '(empty)'}</code>
              <span className="field-hint"> in {frame.state}</span>
            </p>
            {frame.overLimit ? (
              <p className="field-error">
                Longer than the max line: the server answers ERR line too long and closes.
              </p>
            ) : frame.answer === null ? (
              <p className="field-hint">A blank line: no answer.</p>
            ) : (
              <TrialReply answer={frame.answer} />
            )}
          </li>
        ))}
        {outcome.truncated ? <li className="field-hint">More requests than the tester answers.</li> : null}
      </ol>
    </>
  );
}

const ENDING_SHOWN: Record<string, string> = { '\r\n': '\\r\\n', '\n': '\\n', '\r': '\\r' };

/** A reply cut into its lines, each line's ending written out (`\r\n`) so it can be checked. */
export function replyLines(text: string): { body: string; ending: string }[] {
  const lines: { body: string; ending: string }[] = [];
  for (const m of text.matchAll(/([^\r\n]*)(\r\n|\n|\r|$)/g)) {
    const [whole, body = '', ending = ''] = m;
    if (whole === '') continue;
    lines.push({ body, ending: ENDING_SHOWN[ending] ?? '' });
  }
  return lines;
}

function TrialReply({ answer }: { answer: TrialAnswer }): ReactElement {
  const notes = [
    answer.nextState !== null ? `then ${answer.nextState}` : null,
    answer.delayMs > 0 ? `after ${answer.delayMs} ms` : null,
    answer.close ? 'then closes' : null,
  ].filter((n): n is string => n !== null);
  return (
    <div className="trial-reply">
      <p className="trial-who">
        <strong>{who(answer)}</strong> answers {answer.bytes === 0 ? 'nothing' : `${answer.bytes} bytes`}
        {notes.length > 0 ? `, ${notes.join(', ')}` : ''}
      </p>
      {answer.bytes > 0 ? (
        <>
          <pre className="trial-text">
            {replyLines(answer.text).map((line, i) => (
              <span key={i} className="trial-line">
                {wireText(line.body)}
                {line.ending ? <span className="trial-ending">{line.ending}</span> : null}
              </span>
            ))}
          </pre>
          <p className="frame-hex trial-hex">{answer.hex}</p>
        </>
      ) : null}
    </div>
  );
}
