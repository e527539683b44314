// Business dates are calendar days (`YYYY-MM-DD`) on which a fact happened, independent of when it
// was recorded. Compared as strings, which sorts correctly for this fixed format.
const SHAPE = /^\d{4}-\d{2}-\d{2}$/;

export type BusinessDate = string;

export function isRealDate(value: string): boolean {
  if (!SHAPE.test(value)) return false;
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The calendar day of an instant in China Standard Time (UTC+8, no daylight saving). */
export function businessDateOf(instant: Date): BusinessDate {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
