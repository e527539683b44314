import { cursorKeys, decodeCursor, encodeCursor } from './page-cursor';
import { InvalidInput } from './problem-details.filter';

const ID = '3f2b6c1e-8a4d-4e5f-9b7a-2c1d0e9f8a76';
const encoded = (keys: unknown) => Buffer.from(JSON.stringify(keys)).toString('base64url');

/** What a refused cursor answers: the 400 naming `cursor`, whatever was wrong with it. */
const refusal = (cursor: string, ...rules: Parameters<typeof decodeCursor>[1][]) => {
  try {
    decodeCursor(cursor, ...rules);
  } catch (error) {
    return error instanceof InvalidInput ? { status: error.getStatus(), errors: error.errors } : error;
  }
  return 'decoded';
};

describe('page cursors: the sort keys of a page’s last row and a tie-breaker, opaque to clients', () => {
  it('decodes what it encoded, key by key', () => {
    expect(decodeCursor(encodeCursor('2021-03-01', ID), cursorKeys.date, cursorKeys.uuid)).toEqual(['2021-03-01', ID]);
    expect(decodeCursor(encodeCursor('株洲焊工', ID), cursorKeys.text, cursorKeys.uuid)).toEqual(['株洲焊工', ID]);
    expect(decodeCursor(encodeCursor('2021-03-01', 42), cursorKeys.date, cursorKeys.position)).toEqual(['2021-03-01', 42]);
    expect(decodeCursor(encodeCursor('2021-03-01T02:00:00.000Z', ID), cursorKeys.instant, cursorKeys.uuid)).toEqual(['2021-03-01T02:00:00.000Z', ID]);
    expect(encodeCursor('株洲焊工', ID)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['not base64url JSON', 'bm90LWpzb24'],
    ['no array', encoded({ day: '2021-03-01', id: ID })],
    ['a key too few', encoded(['2021-03-01'])],
    ['a key too many', encoded(['2021-03-01', ID, 1])],
    ['a date that is no day', encoded(['2021-02-30', ID])],
    ['a tie-breaker that is no UUID', encoded(['2021-03-01', 'x'])],
    ['a cursor of another list (a position where an id belongs)', encoded(['2021-03-01', 7])],
  ])('refuses %s with a 400 naming cursor', (_what, cursor) => {
    expect(refusal(cursor, cursorKeys.date, cursorKeys.uuid)).toMatchObject({ status: 400, errors: [{ field: 'cursor', rule: 'matches' }] });
  });

  it('takes a position only as a positive whole number', () => {
    for (const position of [0, -1, 1.5, '3']) {
      expect(refusal(encoded(['2021-03-01', position]), cursorKeys.date, cursorKeys.position)).toMatchObject({ errors: [{ field: 'cursor' }] });
    }
  });

  it('refuses keys the query would refuse: a NUL in a name, an instant Date.parse takes and timestamptz does not', () => {
    expect(refusal(encoded(['\u0000', ID]), cursorKeys.text, cursorKeys.uuid)).toMatchObject({ errors: [{ field: 'cursor' }] });
    expect(refusal(encoded(['张\ud800', ID]), cursorKeys.text, cursorKeys.uuid)).toMatchObject({ errors: [{ field: 'cursor' }] });
    for (const instant of ['1', 'foo 1', '2021-03-01', '2021-02-30T00:00:00.000Z', '12021-03-01T00:00:00.000Z']) {
      expect(refusal(encoded([instant, ID]), cursorKeys.instant, cursorKeys.uuid)).toMatchObject({ errors: [{ field: 'cursor' }] });
    }
    // Microseconds, as the lists' own to_char writes them.
    expect(decodeCursor(encoded(['2021-03-01T02:00:00.123456Z', ID]), cursorKeys.instant, cursorKeys.uuid)).toEqual(['2021-03-01T02:00:00.123456Z', ID]);
  });
});
