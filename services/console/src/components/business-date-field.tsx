import { useRef, useState } from 'react';
import type { MessageKey } from '../i18n/catalogues';
import { useI18n } from '../i18n/i18n';
import { today } from './dates';

/** A date after today: the fact cannot have happened yet (api.md: refused as date_in_future), so it is refused at the field. */
export const inFuture = (date: string) => date > today();

/** What is wrong with a fact's date, said at its field: none given (cleared), or after today. */
export const dateProblem = (date: string): MessageKey | null => (date === '' ? 'common.dateRequired' : inFuture(date) ? 'common.dateInFuture' : null);

/** A day the date may not come before (an employment's end, its start), and the words that say so. */
export interface NotBefore {
  date: string;
  words: string;
}

/** A date before the day it may not precede. */
const isBefore = (date: string, notBefore: NotBefore | undefined) => notBefore !== undefined && date !== '' && date < notBefore.date;

/**
 * A fact's business date as its step keeps it: today by default, and the field's input, so that a submit
 * stops at a date the field shows as wrong (`focusIfWrong`: the field says why, and the focus goes there),
 * one before `notBefore` too where the fact has such a day.
 */
export function useBusinessDate(notBefore?: NotBefore) {
  const [value, setValue] = useState(today);
  const inputRef = useRef<HTMLInputElement>(null);
  const tooEarly = isBefore(value, notBefore);
  const focusIfWrong = () => {
    if (!dateProblem(value) && !tooEarly) return false;
    inputRef.current?.focus();
    return true;
  };
  return { value, setValue, inputRef, focusIfWrong, notBefore, tooEarly };
}

export type BusinessDate = ReturnType<typeof useBusinessDate>;

/**
 * A fact's business date (docs/console.md "Business dates are explicit"), kept by useBusinessDate: earlier
 * dates are normal, a later one is refused at the field as it is typed (`max` alone does not stop typing
 * one), and so is a date cleared, or one before its `notBefore` (useBusinessDate) where the fact has such a day,
 * tied to the input by aria-invalid and aria-describedby.
 */
export function BusinessDateField({ id, label, date }: { id: string; label: string; date: BusinessDate }) {
  const { t } = useI18n();
  const wrong = dateProblem(date.value);
  const problem = wrong ? t(wrong) : date.tooEarly ? date.notBefore?.words : null;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={date.inputRef}
        type="date"
        required
        value={date.value}
        min={date.notBefore?.date}
        max={today()}
        onChange={(event) => date.setValue(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
      />
      {problem && (
        <p id={`${id}-error`} className="field-error">
          {problem}
        </p>
      )}
    </>
  );
}
