import { isRealDate } from '@skills/domain-kernel';
import { InvalidInput } from '@skills/service-runtime';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a list's query accepts as a cursor before decoding it (base64url, as encodeCursor writes it). */
export const CURSOR_SHAPE = /^[A-Za-z0-9_-]{1,200}$/;
export const CURSOR_MESSAGE = 'cursor must be the nextCursor of a previous page';

/**
 * The position after a page's last row: a business date and a tie-breaker (an id or a number), in the
 * order the list sorts by, as JSON in base64url. Opaque to clients.
 */
export const encodeCursor = (day: string, tieBreaker: string | number): string => Buffer.from(JSON.stringify([day, tieBreaker])).toString('base64url');

/** The date and uuid of a cursor (the course list's start date and course id). */
export const decodeDateAndId = (cursor: string): [string, string] => decode(cursor, (tie): tie is string => typeof tie === 'string' && UUID.test(tie));

/** The date and stream version of a cursor (the roster's enrolment date and the enrolment's place in the course's stream). */
export const decodeDateAndVersion = (cursor: string): [string, number] => decode(cursor, (tie): tie is number => Number.isInteger(tie) && (tie as number) > 0);

/** Anything that is not what encodeCursor wrote is a 400 naming `cursor`. */
function decode<Tie>(cursor: string, isTie: (value: unknown) => value is Tie): [string, Tie] {
  try {
    const position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(position) && position.length === 2) {
      const [day, tie] = position as unknown[];
      if (typeof day === 'string' && isRealDate(day) && isTie(tie)) return [day, tie];
    }
  } catch {
    // refused below
  }
  throw new InvalidInput([{ field: 'cursor', rule: 'matches', message: CURSOR_MESSAGE }]);
}
