/**
 * A labelled input or select with its error message underneath, tied
 * together with ids so a screen reader reads the message with the field.
 */
import type { ReactElement, ReactNode } from 'react';
import './field.css';

interface FieldProps {
  id: string;
  label: string;
  error?: string | undefined;
  /** A quiet line under the field, shown when there is no error. */
  hint?: ReactNode;
  /** An amber line under the field: the value is valid but worth a second thought. */
  warning?: string | undefined;
  /** `inline` puts the label left of a narrow control, for compact groups. */
  layout?: 'stacked' | 'inline';
  className?: string;
}

interface TextFieldProps extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  inputMode?: 'text' | 'numeric' | 'decimal';
  placeholder?: string;
}

export function TextField({
  id,
  label,
  error,
  hint,
  warning,
  layout = 'stacked',
  className,
  value,
  onChange,
  disabled,
  inputMode,
  placeholder,
}: TextFieldProps): ReactElement {
  return (
    <FieldFrame
      id={id}
      label={label}
      error={error}
      hint={hint}
      warning={warning}
      layout={layout}
      className={className}
    >
      <input
        id={id}
        className="input"
        type="text"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        inputMode={inputMode}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint, warning)}
      />
    </FieldFrame>
  );
}

interface SelectFieldProps extends FieldProps {
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  options: readonly { value: string; label: string }[];
}

export function SelectField({
  id,
  label,
  error,
  hint,
  layout = 'stacked',
  className,
  value,
  onChange,
  disabled,
  options,
}: SelectFieldProps): ReactElement {
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} layout={layout} className={className}>
      <select
        id={id}
        className="input select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, error, hint)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

function describedBy(
  id: string,
  error: string | undefined,
  hint: ReactNode,
  warning?: string,
): string | undefined {
  if (error) return `${id}-error`;
  if (warning) return `${id}-warning`;
  return hint ? `${id}-hint` : undefined;
}

function FieldFrame({
  id,
  label,
  error,
  hint,
  warning,
  layout,
  className,
  children,
}: FieldProps & { children: ReactNode }): ReactElement {
  const classes = ['field', `field--${layout ?? 'stacked'}`, error ? 'field--invalid' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : warning ? (
        <p className="field-warning" id={`${id}-warning`}>
          {warning}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
