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
import type { MatchKind, RuleDraft, RuleInit } from './table-draft';
import { VariablesHint } from './variables-hint';

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
        </select>
        <input
          id={id('match')}
          className="input input--mono rule-match"
          aria-label={byName ? `Rule ${n} word` : `Rule ${n} pattern`}
          value={byName ? rule.name : rule.pattern}
          placeholder={byName ? 'PING' : '^GET (\\w+)$'}
          onChange={(e) => onChange(byName ? { name: e.target.value } : { pattern: e.target.value })}
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
            {byName
              ? 'The first word of a line, in any case.'
              : 'RE2, searched for in the whole line: anchor it with ^ and $.'}
          </p>
        )}
      </div>

      <div className="rule-reply">
        <div className="rule-reply-label">
          <label className="rule-label" htmlFor={id('reply')}>
            Reply lines
          </label>
          <VariablesHint id={`${id('reply')}-hint`} />
        </div>
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
