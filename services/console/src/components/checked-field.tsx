import type { HTMLAttributes, Ref } from 'react';

/**
 * A text or password input whose rule is said at it: its label, an optional hint, and the error (the local
 * rule once the field was left or a submit found it wrong, or the server's words), both tied to the input
 * (aria-describedby) and the input marked invalid. `messagesId` names the hint's and the error's elements
 * (`<messagesId>-hint`, `<messagesId>-error`). For forms that check each field before sending (/activate,
 * /me/password, the reset-password step).
 */
export function CheckedField(props: {
  id: string;
  messagesId: string;
  label: string;
  hint?: string;
  error: string | null;
  value: string;
  onChange(value: string): void;
  /** The field was left: its rule is shown from then on (the form decides; an empty field is not judged yet). */
  onLeave(): void;
  inputRef?: Ref<HTMLInputElement>;
  name?: string;
  type?: 'text' | 'password';
  autoComplete: string;
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
}) {
  const { id, messagesId, hint, error } = props;
  const describedBy = [hint ? `${messagesId}-hint` : '', error ? `${messagesId}-error` : ''].filter(Boolean).join(' ');
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        ref={props.inputRef}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        required
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        onBlur={props.onLeave}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {hint && (
        <p id={`${messagesId}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${messagesId}-error`} className="field-error">
          {error}
        </p>
      )}
    </>
  );
}
