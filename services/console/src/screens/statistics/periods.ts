import type { Locale, Translate } from '../../i18n/i18n';

/**
 * A statistics period as the API names it (`2025`, `2025-Q3`, `2025-07`), taken apart for the picker:
 * `part` is the quarter (1–4) or the month (1–12), 0 for a year.
 */
export type PeriodKind = 'year' | 'quarter' | 'month';
export interface PeriodParts {
  kind: PeriodKind;
  year: number;
  part: number;
}

export const PERIOD_KINDS: PeriodKind[] = ['year', 'quarter', 'month'];

const PERIOD = /^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$/;

/** The parts of a period the API accepts, or null for anything else (a hand-edited address). */
export function readPeriod(period: string): PeriodParts | null {
  const match = PERIOD.exec(period);
  if (!match) return null;
  const year = Number(match[1]);
  if (match[2]) return { kind: 'quarter', year, part: Number(match[2]) };
  if (match[3]) return { kind: 'month', year, part: Number(match[3]) };
  return { kind: 'year', year, part: 0 };
}

export function periodOf({ kind, year, part }: PeriodParts): string {
  if (kind === 'quarter') return `${year}-Q${part}`;
  if (kind === 'month') return `${year}-${String(part).padStart(2, '0')}`;
  return String(year);
}

/** The same moment seen as another kind of period: a quarter becomes its first month, a month its quarter. */
export function asKind(parts: PeriodParts, kind: PeriodKind): PeriodParts {
  if (kind === parts.kind) return parts;
  const firstMonth = parts.kind === 'quarter' ? parts.part * 3 - 2 : parts.kind === 'month' ? parts.part : 1;
  if (kind === 'month') return { kind, year: parts.year, part: firstMonth };
  if (kind === 'quarter') return { kind, year: parts.year, part: Math.ceil(firstMonth / 3) };
  return { kind, year: parts.year, part: 0 };
}

/** The last quarter wholly past on `today` (a business date): what a bureau files first, so the page opens on it. */
export function lastCompleteQuarter(today: string): string {
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const quarter = Math.ceil(month / 3);
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}

/** The quarter a period ends in: a year's fourth, a month's own. */
export function quarterEnding(period: string): string {
  const parts = readPeriod(period);
  if (!parts) return period;
  if (parts.kind === 'year') return `${parts.year}-Q4`;
  return periodOf(asKind(parts, 'quarter'));
}

/** `count` quarters up to and including `last`, oldest first. */
export function quartersUpTo(last: string, count: number): string[] {
  const parts = readPeriod(last);
  if (!parts || parts.kind !== 'quarter') return [];
  const index = parts.year * 4 + parts.part - 1;
  return Array.from({ length: count }, (_, offset) => {
    const at = index - (count - 1) + offset;
    return `${Math.floor(at / 4)}-Q${(at % 4) + 1}`;
  });
}

const firstOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month - 1, 1));

/** A month's name in the reader's language (七月, July). */
export const monthName = (month: number, locale: Locale) => firstOfMonth(2000, month).toLocaleString(locale, { month: 'long', timeZone: 'UTC' });

/** A period in words: 2025年第3季度, Q3 2025, 2025年7月, July 2025. */
export function periodWords(period: string, t: Translate, locale: Locale): string {
  const parts = readPeriod(period);
  if (!parts) return period;
  if (parts.kind === 'quarter') return t('statistics.period.ofQuarter', { year: parts.year, quarter: parts.part });
  if (parts.kind === 'month') return firstOfMonth(parts.year, parts.part).toLocaleString(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  return t('statistics.period.ofYear', { year: parts.year });
}
