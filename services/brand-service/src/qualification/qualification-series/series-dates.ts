// The days a qualification series is judged on: every month end from `from` to `to`, and `to` itself
// when it is no month end (the chart ends on the day asked for, e.g. today inside a running window).

/** The last day of the month of `date` ('YYYY-MM-DD'). */
export function monthEndOf(date: string): string {
  const [year, month] = date.split('-').map(Number);
  // Day 0 of the next month is the last day of this one.
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${date.slice(0, 7)}-${String(lastDay).padStart(2, '0')}`;
}

/** The month end after the month of `monthEnd`. */
function nextMonthEnd(monthEnd: string): string {
  const [year, month] = monthEnd.split('-').map(Number);
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  return monthEndOf(next);
}

/** The series' days in order, from ≤ to; empty when from > to. Stops once it holds more than `limit`. */
export function seriesDates(from: string, to: string, limit: number): string[] {
  const dates: string[] = [];
  for (let day = monthEndOf(from); day <= to && dates.length <= limit; day = nextMonthEnd(day)) dates.push(day);
  if (from <= to && dates.at(-1) !== to && dates.length <= limit) dates.push(to);
  return dates;
}
