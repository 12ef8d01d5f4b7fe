/**
 * One rule of the table: what it matches, its reply lines, its delay and
 * whether it hangs up, with each field's problem right under it.
 *
 * Every control is named after the rule's place ("Rule 2 reply"), so no two
 * share a name and none contains "Command", the client input's name.
 */
import type { ReactElement } from 'react';
import type { RuleField } from './draft-check';
import { DeleteIcon, DuplicateIcon, MoveDownIcon, MoveUpIcon } from './rule-icons';
import { describeBytePattern, describeByteTemplate } from './hex-readout';
import type { MatchKind, ReplyKind, RuleDraft, RuleInit } from './table-draft';
import { VariablesHint } from './variables-hint';

const MATCH_PLACEHOLDER: Record<MatchKind, string> = {
  name: 'PING',
  pattern: '^GET (\\w+)$',
  bytes: '00 01 ?? *',
};

const MATCH_HINT: Record<MatchKind, string> = {
  name: 'The first word of a line, in any case.',
  pattern: 'RE2, searched for in the whole line: anchor it with ^ and $.',
  bytes: 'Hex pairs over the whole request: ?? is any one byte, * any run of bytes.',
};

function matchValue(rule: RuleDraft): string {
  return rule.match === 'name' ? rule.name : rule.match === 'pattern' ? rule.pattern : rule.bytes;
}

function matchPatch(kind: MatchKind, value: string): RuleInit {
  return kind === 'name' ? { name: value } : kind === 'pattern' ? { pattern: value } : { bytes: value };
}

/** The DOM id of a rule's control, for labels, messages and focus. */
export function ruleFieldId(ruleId: string, field: RuleField | 'up' | 'down' | 'delete'): string {
  return `${ruleId}-${field}`;
}

/** Tall enough for what is there and a line more to type into, without taking the whole pane. */
export function replyRows(reply: string): number {
  return Math.min(8, reply.split('\n').length + 1);
}

interface RuleEditorProps {
  rule: RuleDraft;
  /** 0-based place in the table. */
  index: number;
  total: number;
  errors: Partial<Record<RuleField, string>>;
  onChange: (patch: RuleInit) => void;
  onMove: (delta: -1 | 1) => void;
  onDuplicate: () => void;
  onDelete: () => void;
}

export function RuleEditor({
  rule,
  index,
  total,
  errors,
  onChange,
  onMove,
  onDuplicate,
  onDelete,
}: RuleEditorProps): ReactElement {
  const n = index + 1;
  const id = (field: Parameters<typeof ruleFieldId>[1]): string => ruleFieldId(rule.id, field);
  const byName = rule.match === 'name';
  const readout = rule.match === 'bytes' && !errors.match ? describeBytePattern(rule.bytes) : null;
  const replyReadout =
    rule.replyKind === 'bytes' && !errors.reply ? describeByteTemplate(rule.replyBytes) : null;
  return (
    <li className={`rule${Object.keys(errors).length > 0 ? ' rule--invalid' : ''}`}>
      {/* The match reads as a phrase, "Command word [PING]": the select names the field beside it. */}
      <div className="rule-head">
        <h3 className="rule-title">Rule {n}</h3>
        <select
          id={`${rule.id}-kind`}
          className="input select rule-kind"
          aria-label={`Rule ${n} match`}
          value={rule.match}
          onChange={(e) => onChange({ match: e.target.value as MatchKind })}
        >
          <option value="name">Command word</option>
          <option value="pattern">Pattern</option>
          <option value="bytes">Bytes (hex)</option>
        </select>
        <input
          id={id('match')}
          className="input input--mono rule-match"
          aria-label={byName ? `Rule ${n} word` : `Rule ${n} ${rule.match}`}
          value={matchValue(rule)}
          placeholder={MATCH_PLACEHOLDER[rule.match]}
          onChange={(e) => onChange(matchPatch(rule.match, e.target.value))}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={errors.match ? true : undefined}
          aria-describedby={errors.match ? `${id('match')}-error` : `${id('match')}-hint`}
        />
        <div className="rule-actions">
          <IconButton
            id={id('up')}
            label={`Move rule ${n} up`}
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            <MoveUpIcon />
          </IconButton>
          <IconButton
            id={id('down')}
            label={`Move rule ${n} down`}
            disabled={index === total - 1}
            onClick={() => onMove(1)}
          >
            <MoveDownIcon />
          </IconButton>
          <IconButton label={`Duplicate rule ${n}`} onClick={onDuplicate}>
            <DuplicateIcon />
          </IconButton>
          <IconButton id={id('delete')} label={`Delete rule ${n}`} danger onClick={onDelete}>
            <DeleteIcon />
          </IconButton>
        </div>
        {errors.match ? (
          <p className="field-error rule-note" id={`${id('match')}-error`}>
            {errors.match}
          </p>
        ) : (
          <p className="field-hint rule-note" id={`${id('match')}-hint`}>
            {readout !== null && rule.bytes.trim() !== '' ? (
              <span className="hex-readout">{readout}</span>
            ) : (
              MATCH_HINT[rule.match]
            )}
          </p>
        )}
      </div>

      <div className="rule-reply">
        <div className="rule-reply-label">
          <label className="rule-label" htmlFor={id('reply')}>
            Reply
          </label>
          <select
            className="input select rule-reply-kind"
            aria-label={`Rule ${n} reply kind`}
            value={rule.replyKind}
            onChange={(e) => onChange({ replyKind: e.target.value as ReplyKind })}
          >
            <option value="lines">Lines</option>
            <option value="none">Nothing</option>
            <option value="bytes">Bytes (hex)</option>
          </select>
          {rule.replyKind === 'lines' ? <VariablesHint id={`${id('reply')}-hint`} /> : null}
        </div>
        {rule.replyKind === 'lines' ? (
          <textarea
            id={id('reply')}
            className="input textarea input--mono"
            aria-label={`Rule ${n} reply`}
            rows={replyRows(rule.reply)}
            // Off, so that each line on screen is one reply line: a long line scrolls instead of wrapping.
            wrap="off"
            value={rule.reply}
            onChange={(e) => onChange({ reply: e.target.value })}
            spellCheck={false}
            aria-invalid={errors.reply ? true : undefined}
            aria-describedby={`${errors.reply ? `${id('reply')}-error ` : ''}${id('reply')}-hint`}
          />
        ) : rule.replyKind === 'bytes' ? (
          <>
            <input
              id={id('reply')}
              className="input input--mono"
              aria-label={`Rule ${n} reply bytes`}
              value={rule.replyBytes}
              placeholder="{req:0:2} 00 00 00 03 01 83 02"
              onChange={(e) => onChange({ replyBytes: e.target.value })}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={errors.reply ? true : undefined}
              aria-describedby={errors.reply ? `${id('reply')}-error` : `${id('reply')}-hint`}
            />
            {errors.reply ? null : (
              <p className="field-hint" id={`${id('reply')}-hint`}>
                {replyReadout !== null && rule.replyBytes.trim() !== '' ? (
                  <span className="hex-readout">{replyReadout}</span>
                ) : (
                  'Hex pairs sent as they are; {req:OFFSET:LENGTH} copies bytes of the request.'
                )}
              </p>
            )}
          </>
        ) : (
          <p className="field-hint" id={id('reply')} tabIndex={-1}>
            Sends nothing: the request is taken in silence.
          </p>
        )}
        {errors.reply ? (
          <p className="field-error" id={`${id('reply')}-error`}>
            {errors.reply}
          </p>
        ) : null}
      </div>

      <div className="rule-options">
        <div className="rule-delay">
          <label className="rule-label" htmlFor={id('delay')}>
            Delay (ms)
          </label>
          <input
            id={id('delay')}
            className="input input--number"
            aria-label={`Rule ${n} delay (ms)`}
            inputMode="numeric"
            value={rule.delay}
            placeholder="0"
            onChange={(e) => onChange({ delay: e.target.value })}
            autoComplete="off"
            aria-invalid={errors.delay ? true : undefined}
            aria-describedby={errors.delay ? `${id('delay')}-error` : undefined}
          />
        </div>
        <label className="check">
          <input
            id={id('close')}
            type="checkbox"
            aria-label={`Rule ${n} close after reply`}
            checked={rule.close}
            onChange={(e) => onChange({ close: e.target.checked })}
          />
          Close after reply
        </label>
        {errors.delay || errors.close ? (
          <p className="field-error rule-options-note" id={`${id('delay')}-error`}>
            {errors.delay ?? errors.close}
          </p>
        ) : null}
        <div className="rule-state">
          <label className="rule-label" htmlFor={id('state')}>
            In states
          </label>
          <input
            id={id('state')}
            className="input input--mono"
            aria-label={`Rule ${n} states`}
            value={rule.state}
            placeholder="any"
            onChange={(e) => onChange({ state: e.target.value })}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={errors.state ? true : undefined}
            aria-describedby={errors.state ? `${id('state')}-error` : undefined}
          />
        </div>
        <div className="rule-state">
          <label className="rule-label" htmlFor={id('then')}>
            Then state
          </label>
          <input
            id={id('then')}
            className="input input--mono"
            aria-label={`Rule ${n} then state`}
            value={rule.then}
            placeholder="stay"
            onChange={(e) => onChange({ then: e.target.value })}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={errors.then ? true : undefined}
            aria-describedby={errors.then ? `${id('then')}-error` : undefined}
          />
        </div>
        {errors.state ? (
          <p className="field-error rule-options-note" id={`${id('state')}-error`}>
            {errors.state}
          </p>
        ) : null}
        {errors.then ? (
          <p className="field-error rule-options-note" id={`${id('then')}-error`}>
            {errors.then}
          </p>
        ) : null}
      </div>
    </li>
  );
}

interface IconButtonProps {
  id?: string;
  label: string;
  disabled?: boolean;
  danger?: boolean;
  onClick: () => void;
  children: ReactElement;
}

/** A small button that shows only an icon; its name is spoken, and shown on hover. */
function IconButton({ id, label, disabled, danger, onClick, children }: IconButtonProps): ReactElement {
  return (
    <button
      id={id}
      type="button"
      className={`icon-button rule-action${danger ? ' rule-action--danger' : ''}`}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
