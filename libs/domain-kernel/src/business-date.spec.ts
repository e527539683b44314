import { businessDateOf, isRealDate } from './business-date';

describe('business dates', () => {
  it('knows real calendar days', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2000-02-29')).toBe(true);
    expect(isRealDate('1900-02-29')).toBe(false);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2021-02-30')).toBe(false);
    expect(isRealDate('2021-04-31')).toBe(false);
    expect(isRealDate('2021-13-01')).toBe(false);
    expect(isRealDate('2023-2-1')).toBe(false);
  });

  it('dates an instant by the calendar in China (UTC+8)', () => {
    expect(businessDateOf(new Date('2021-09-30T15:59:59Z'))).toBe('2021-09-30');
    expect(businessDateOf(new Date('2021-09-30T16:00:00Z'))).toBe('2021-10-01');
  });
});
