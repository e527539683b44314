import { RefObject, useState } from 'react';
import { KeptForGoodHint } from './kept-for-good-hint';

/** A required reason kept for good (a revocation's, an ending's): what was typed, and whether a confirm found it empty. */
export interface KeptReason {
  value: string;
  /** The reason as sent: without its surrounding spaces. */
  trimmed: string;
  /** Said at the field (aria-invalid, its error line) since a confirm found it empty, until one is typed. */
  missing: boolean;
  change(value: string): void;
  /** For a confirm: true when the reason is empty, which the field then says (the caller moves the focus there). */
  refuseIfEmpty(): boolean;
}

export function useKeptReason(): KeptReason {
  const [value, change] = useState('');
  const [checked, setChecked] = useState(false);
  const trimmed = value.trim();
  return {
    value,
    trimmed,
    missing: checked && !trimmed,
    change,
    refuseIfEmpty: () => {
      if (trimmed) return false;
      setChecked(true);
      return true;
    },
  };
}

/**
 * The field of such a reason: at most 500 characters, the hint that its words are kept for good (so no one's
 * personal data goes there: personal_data_in_text), and an empty one said at the field, as a date field says
 * its error (aria-invalid and the error line it describes itself with).
 */
export function KeptReasonField({
  id,
  label,
  requiredText,
  reason,
  inputRef,
  describedBy,
}: {
  id: string;
  label: string;
  requiredText: string;
  reason: KeptReason;
  inputRef: RefObject<HTMLInputElement | null>;
  /** What the step says before the field, heard with it (the focus lands on the field, past the words). */
  describedBy?: string;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        required
        maxLength={500}
        value={reason.value}
        aria-invalid={reason.missing ? true : undefined}
        aria-describedby={[describedBy, `${id}-hint`, reason.missing ? `${id}-error` : undefined].filter(Boolean).join(' ')}
        onChange={(event) => reason.change(event.target.value)}
      />
      <KeptForGoodHint id={`${id}-hint`} />
      {reason.missing && (
        <p id={`${id}-error`} className="field-error">
          {requiredText}
        </p>
      )}
    </>
  );
}
