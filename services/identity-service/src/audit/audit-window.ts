import { FieldRefusal, isRealDate } from '@skills/domain-kernel';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

/** A bound as the client wrote it: a day (its whole span, in China Standard Time, like business dates) or an instant. */
function spanOf(field: 'from' | 'to', value: string): { start: Date; end: Date } {
  if (isRealDate(value)) {
    const start = new Date(`${value}T00:00:00+08:00`);
    return { start, end: new Date(start.getTime() + DAY_MS) };
  }
  const at = INSTANT.test(value) && isRealDate(value.slice(0, 10)) ? new Date(value) : undefined;
  // Entries are kept to the millisecond: an instant spans one.
  if (at && !Number.isNaN(at.getTime())) return { start: at, end: new Date(at.getTime() + 1) };
  throw new FieldRefusal(field, 'date_or_instant', `${field} must be a day (YYYY-MM-DD) or an ISO 8601 instant with its offset`);
}

/**
 * The window of `from` and `to`, both inclusive, as `at >= from AND at < before` (null: open). A day
 * as `to` includes the whole day; a window that ends before it starts is refused rather than empty.
 */
export function auditWindow(query: { from?: string; to?: string }): { from: Date | null; before: Date | null } {
  const from = query.from === undefined ? null : spanOf('from', query.from).start;
  const before = query.to === undefined ? null : spanOf('to', query.to).end;
  if (from && before && before <= from) throw new FieldRefusal('to', 'window_ends_before_it_starts', 'to is before from');
  return { from, before };
}
