import { useState, type FormEvent } from 'react';
import { today } from '../../components/dates';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/zh-CN';
import { PeriodPicker, type PeriodDraft } from './period-picker';
import { periodOf, readPeriod } from './periods';

/** What the page shows: the region, the period (as the API names it) and the occupation ('' for all). */
export interface StatisticsFilters {
  regionCode: string;
  period: string;
  occupationCode: string;
}

// The API's own rules, checked at the field before asking (docs/console.md "Errors at the field").
const REGION_CODE = /^\d{6}$/;
const OCCUPATION_CODE = /^\d-\d{2}-\d{2}-\d{2}$/;
const YEAR = /^\d{4}$/;

type Field = 'regionCode' | 'occupationCode' | 'year';
const FIELD_IDS: Record<Field, string> = { regionCode: 'regionCode', occupationCode: 'occupationCode', year: 'period-year' };

function draftOf(period: string): PeriodDraft {
  const parts = readPeriod(period) ?? { kind: 'year' as const, year: Number(today().slice(0, 4)), part: 0 };
  return { kind: parts.kind, year: String(parts.year), part: parts.part };
}

/** The region, occupation and period to show; the page shows them once sent (and keeps them in its address). */
export function StatisticsFiltersForm({ shown, onShow }: { shown: StatisticsFilters; onShow(filters: StatisticsFilters): void }) {
  const { t } = useI18n();
  const [regionCode, setRegionCode] = useState(shown.regionCode);
  const [occupationCode, setOccupationCode] = useState(shown.occupationCode);
  const [period, setPeriod] = useState<PeriodDraft>(() => draftOf(shown.period));
  const [errors, setErrors] = useState<Partial<Record<Field, MessageKey>>>({});

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const wanted = { regionCode: regionCode.trim(), occupationCode: occupationCode.trim() };
    const found: Partial<Record<Field, MessageKey>> = {};
    if (!REGION_CODE.test(wanted.regionCode)) found.regionCode = 'statistics.regionRule';
    if (wanted.occupationCode && !OCCUPATION_CODE.test(wanted.occupationCode)) found.occupationCode = 'statistics.occupationRule';
    if (!YEAR.test(period.year.trim())) found.year = 'statistics.yearRule';
    setErrors(found);
    const first = (Object.keys(FIELD_IDS) as Field[]).find((field) => found[field]);
    if (first) return document.getElementById(FIELD_IDS[first])?.focus();
    onShow({ ...wanted, period: periodOf({ kind: period.kind, year: Number(period.year.trim()), part: period.part }) });
  };

  const described = (field: Field, hint: string) => [hint, errors[field] ? `${FIELD_IDS[field]}-error` : ''].filter(Boolean).join(' ');
  const error = (field: Field) => {
    const key = errors[field];
    return key ? (
      <p id={`${FIELD_IDS[field]}-error`} className="field-error">
        {t(key)}
      </p>
    ) : null;
  };

  return (
    <form className="statistics-filters" onSubmit={submit} noValidate aria-label={t('statistics.filters')}>
      <div className="statistics-field">
        <label htmlFor="regionCode">{t('brand.region')}</label>
        <input
          id="regionCode"
          value={regionCode}
          onChange={(event) => setRegionCode(event.target.value)}
          inputMode="numeric"
          maxLength={6}
          autoComplete="off"
          aria-invalid={errors.regionCode ? true : undefined}
          aria-describedby={described('regionCode', 'regionCode-hint')}
        />
        <p id="regionCode-hint" className="hint">
          {t('statistics.regionHint')}
        </p>
        {error('regionCode')}
      </div>
      <div className="statistics-field">
        <label htmlFor="occupationCode">{t('course.occupation')}</label>
        <input
          id="occupationCode"
          value={occupationCode}
          onChange={(event) => setOccupationCode(event.target.value)}
          autoComplete="off"
          aria-invalid={errors.occupationCode ? true : undefined}
          aria-describedby={described('occupationCode', 'occupationCode-hint')}
        />
        <p id="occupationCode-hint" className="hint">
          {t('statistics.occupationHint')}
        </p>
        {error('occupationCode')}
      </div>
      <PeriodPicker draft={period} onChange={setPeriod} yearError={errors.year ? t(errors.year) : null} />
      <button type="submit" className="primary">
        {t('common.show')}
      </button>
    </form>
  );
}
