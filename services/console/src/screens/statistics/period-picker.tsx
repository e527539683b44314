import { useI18n } from '../../i18n/i18n';
import { asKind, monthName, PERIOD_KINDS, type PeriodKind } from './periods';

/** The picker's state as typed: the year stays text until the form is sent, so a half-typed year is not lost. */
export interface PeriodDraft {
  kind: PeriodKind;
  year: string;
  /** The quarter (1–4) or the month (1–12); 0 for a year. */
  part: number;
}

const QUARTERS = [1, 2, 3, 4];
const MONTHS = Array.from({ length: 12 }, (_, index) => index + 1);

/**
 * A period as three ordinary controls: its kind, its year, and the quarter or the month. Native selects
 * and a text field, so the keyboard and screen readers work as everywhere else; changing the kind keeps
 * the moment (the third quarter becomes July, July its quarter).
 */
export function PeriodPicker({ draft, onChange, yearError }: { draft: PeriodDraft; onChange(draft: PeriodDraft): void; yearError: string | null }) {
  const { t, locale } = useI18n();
  const changeKind = (kind: PeriodKind) => onChange({ ...draft, kind, part: asKind({ kind: draft.kind, year: 0, part: draft.part }, kind).part });
  return (
    <fieldset className="statistics-period">
      <legend>{t('statistics.period.legend')}</legend>
      <div className="statistics-field">
        <label htmlFor="period-kind">{t('statistics.period.kind')}</label>
        <select id="period-kind" value={draft.kind} onChange={(event) => changeKind(event.target.value as PeriodKind)}>
          {PERIOD_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`statistics.period.kind.${kind}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="statistics-field">
        <label htmlFor="period-year">{t('statistics.period.year')}</label>
        <input
          id="period-year"
          value={draft.year}
          onChange={(event) => onChange({ ...draft, year: event.target.value })}
          inputMode="numeric"
          maxLength={4}
          autoComplete="off"
          aria-invalid={yearError ? true : undefined}
          aria-describedby={yearError ? 'period-year-error' : undefined}
        />
        {yearError && (
          <p id="period-year-error" className="field-error">
            {yearError}
          </p>
        )}
      </div>
      {draft.kind === 'quarter' && (
        <div className="statistics-field">
          <label htmlFor="period-quarter">{t('statistics.period.quarter')}</label>
          <select id="period-quarter" value={draft.part} onChange={(event) => onChange({ ...draft, part: Number(event.target.value) })}>
            {QUARTERS.map((quarter) => (
              <option key={quarter} value={quarter}>
                {t('statistics.period.quarterName', { quarter })}
              </option>
            ))}
          </select>
        </div>
      )}
      {draft.kind === 'month' && (
        <div className="statistics-field">
          <label htmlFor="period-month">{t('statistics.period.month')}</label>
          <select id="period-month" value={draft.part} onChange={(event) => onChange({ ...draft, part: Number(event.target.value) })}>
            {MONTHS.map((month) => (
              <option key={month} value={month}>
                {monthName(month, locale)}
              </option>
            ))}
          </select>
        </div>
      )}
    </fieldset>
  );
}
