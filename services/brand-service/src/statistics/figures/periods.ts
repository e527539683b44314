import { businessDateOf, FieldRefusal, NATIONAL_REGION } from '@skills/domain-kernel';
import { EARLIEST_BUSINESS_DATE } from '@skills/service-runtime';

/** A statistics period (api.md): a month `2025-07`, a quarter `2025-Q3` or a year `2025`. */
export const PERIOD = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

export const isPeriod = (value: string): boolean => PERIOD.test(value);

/** The first day of a period (`2025` → `2025-01-01`, `2025-Q3` → `2025-07-01`, `2025-07` → `2025-07-01`). */
export function firstDayOf(period: string): string {
  const [, year, month, quarter] = PERIOD.exec(period) ?? [];
  if (month) return `${year}-${month}-01`;
  if (quarter) return `${year}-${String(Number(quarter) * 3 - 2).padStart(2, '0')}-01`;
  return `${year}-01-01`;
}

/**
 * A period no fact can fall in is refused (400 naming `field`), not answered with zeros that read as a
 * complete count: one that starts after today (business day, China: `period_in_future`; the current one
 * is answered, as far as it has gone), and one that ends before the earliest business date any record may
 * carry (EARLIEST_BUSINESS_DATE, 1950-01-01: `period_before_records`), so `0000` and `1800` too.
 */
export function refuseUnrecordedPeriod(field: string, period: string, now: Date): void {
  const today = businessDateOf(now);
  if (firstDayOf(period) > today) throw new FieldRefusal(field, 'period_in_future', `${field} ${period} starts after today (${today})`, { [field]: period, today });
  if (lastMonthOf(period) < EARLIEST_BUSINESS_DATE.slice(0, 7)) {
    throw new FieldRefusal(field, 'period_before_records', `${field} ${period} ends before ${EARLIEST_BUSINESS_DATE}, the earliest date a record may carry`, { [field]: period, earliest: EARLIEST_BUSINESS_DATE });
  }
}

/** The three periods a business date falls in: its month, its quarter and its year. */
export function periodsOf(date: string): [month: string, quarter: string, year: string] {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  return [date.slice(0, 7), `${year}-Q${Math.ceil(month / 3)}`, year];
}

/** The month a period ends with (`2025` → `2025-12`, `2025-Q3` → `2025-09`, `2025-07` → itself). */
export function lastMonthOf(period: string): string {
  const [, year, month, quarter] = PERIOD.exec(period) ?? [];
  if (month) return `${year}-${month}`;
  if (quarter) return `${year}-${String(Number(quarter) * 3).padStart(2, '0')}`;
  return `${year}-12`;
}

/**
 * Every region a fact of this organisation's region counts in: its own code, its city, its province and
 * the whole country (GB/T 2260 codes nest: 430202 ⊂ 430200 ⊂ 430000). An unknown region: the country only.
 */
export function regionsCounting(regionCode: string | null): string[] {
  if (!regionCode) return [NATIONAL_REGION];
  return [...new Set([regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`, NATIONAL_REGION])];
}

/** The date `months` calendar months after `date`, on the same day or the month's last (01-31 + 1 → 02-28). */
export function monthsAfter(date: string, months: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(date.slice(8, 10)), lastDay);
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}
