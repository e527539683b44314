import type { Ref } from 'react';
import type { MessageKey } from '../i18n/catalogues';
import { useI18n } from '../i18n/i18n';
import { today } from './dates';

/** A date after today: the fact cannot have happened yet (api.md: refused as date_in_future), so it is refused at the field. */
export const inFuture = (date: string) => date > today();

/** What is wrong with a fact's date, said at its field: none given (cleared), or after today. */
export const dateProblem = (date: string): MessageKey | null => (date === '' ? 'common.dateRequired' : inFuture(date) ? 'common.dateInFuture' : null);

/**
 * A fact's business date (docs/console.md "Business dates are explicit"): the caller keeps it, today by
 * default; earlier dates are normal, a later one is refused at the field as it is typed (`max` alone does
 * not stop typing one), and so is a date cleared, tied to the input by aria-invalid and aria-describedby. The
 * caller's submit checks `dateProblem` too and focuses the field (`inputRef`).
 */
export function BusinessDateField({ id, label, value, onChange, inputRef }: { id: string; label: string; value: string; onChange(value: string): void; inputRef?: Ref<HTMLInputElement> }) {
  const { t } = useI18n();
  const problem = dateProblem(value);
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type="date"
        required
        value={value}
        max={today()}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
      />
      {problem && (
        <p id={`${id}-error`} className="field-error">
          {t(problem)}
        </p>
      )}
    </>
  );
}
