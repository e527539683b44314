import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { isRealDate } from '@skills/domain-kernel';
import { IsOptional, Matches } from 'class-validator';
import { InvalidInput } from './problem-details.filter';
import { hasUnstorableCharacters, isUuid } from './validation';

/**
 * A list's cursor (api.md: `?limit=&cursor=` → `{items, nextCursor}`): the sort keys of a page's last
 * row and a tie-breaker that makes the position unique, as a JSON array in base64url. Opaque to clients;
 * the list decodes it with the rules of its own keys, so a cursor of another list is refused when its keys
 * differ in number or kind. One whose keys are alike (two lists sorted by a time and an id) is not told
 * apart: it reads this list from that position, a page the caller did not mean, never another's rows.
 */
export type CursorKey = string | number;

const CURSOR_MESSAGE = 'cursor must be the nextCursor of a previous page';

/** base64url, long enough for a name of a couple of hundred characters (3 bytes each in UTF-8) and an id. */
const CURSOR_SHAPE = /^[A-Za-z0-9_-]{1,600}$/;

export const encodeCursor = (...keys: CursorKey[]): string => Buffer.from(JSON.stringify(keys)).toString('base64url');

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** What one key of a cursor must be. */
export type CursorKeyRule<Key extends CursorKey> = (value: unknown) => value is Key;

export const cursorKeys = {
  /** A name or title, compared as the database sorts it (and storable: a NUL would be refused by the query). */
  text: (value: unknown): value is string => typeof value === 'string' && !hasUnstorableCharacters(value),
  uuid: isUuid,
  /** A business date, 'YYYY-MM-DD'. */
  date: (value: unknown): value is string => typeof value === 'string' && isRealDate(value),
  /** An ISO 8601 instant, as Date.toISOString writes it (Date.parse alone takes "1" and 30 February, which timestamptz refuses). */
  instant: (value: unknown): value is string => typeof value === 'string' && ISO_INSTANT.test(value) && isRealDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value)),
  /** A place in a sequence (a stream version, a global position): a positive integer. */
  position: (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0,
} satisfies Record<string, CursorKeyRule<CursorKey>>;

type DecodedKeys<Rules extends readonly CursorKeyRule<CursorKey>[]> = { [Index in keyof Rules]: Rules[Index] extends CursorKeyRule<infer Key> ? Key : never };

/**
 * The keys encodeCursor wrote, each checked by its rule, in order. Anything else (not base64url JSON,
 * another number of keys, a key of the wrong kind) is a 400 naming `cursor`, never a query the database
 * refuses.
 */
export function decodeCursor<Rules extends readonly CursorKeyRule<CursorKey>[]>(cursor: string, ...rules: Rules): DecodedKeys<Rules> {
  try {
    const keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(keys) && keys.length === rules.length && rules.every((rule, index) => rule(keys[index]))) return keys as DecodedKeys<Rules>;
  } catch {
    // refused below
  }
  throw new InvalidInput([{ field: 'cursor', rule: 'matches', message: CURSOR_MESSAGE }]);
}

/** The `cursor` query parameter of a list that pages with encodeCursor: its shape here, its keys by decodeCursor. */
export const IsPageCursor = () =>
  applyDecorators(ApiPropertyOptional({ description: 'nextCursor of the previous page' }), IsOptional(), Matches(CURSOR_SHAPE, { message: CURSOR_MESSAGE }));
