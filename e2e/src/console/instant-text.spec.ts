// Times the console shows (the audit log's, keys', a code's expiry, "complete up to", when a verify limit
// ends): in China's zone, which the platform's days are in (the audit log's from/to filter by them), whatever
// the browser's zone, and in both languages written as the business dates beside them are.
import { instantText } from '@skills/console';

describe('an instant as the console shows it', () => {
  it('is the day and 24-hour time in China, its zone said, so it falls on the day the filters file it under', () => {
    // 16:30 UTC on the 6th is 00:30 on the 7th in China: a UTC browser showed the 6th.
    expect(instantText('2026-12-06T16:30:00.000Z', 'en')).toBe('2026-12-07 00:30 China time');
    expect(instantText('2026-12-06T16:30:00.000Z', 'zh-CN')).toBe('2026-12-07 00:30 北京时间');
    // An afternoon on a 24-hour clock, as the dates beside it are written (no 12/7/2026, 10:04 PM).
    expect(instantText('2026-12-07T14:04:42.000Z', 'en')).toBe('2026-12-07 22:04 China time');
  });
});
