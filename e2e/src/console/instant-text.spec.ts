// Times the console shows (the audit log's, keys', a code's expiry, "complete up to"): in China's zone,
// which the platform's days are in (the audit log's from/to filter by them), whatever the browser's zone.
import { instantText } from '@skills/console';

describe('an instant as the console shows it', () => {
  it('is the time of day in China, its zone said, so it falls on the day the filters file it under', () => {
    // 16:30 UTC on the 6th is 00:30 on the 7th in China: a UTC browser showed the 6th.
    expect(instantText('2026-12-06T16:30:00.000Z', 'en')).toBe('12/7/2026, 12:30:00 AM GMT+8');
    expect(instantText('2026-12-06T16:30:00.000Z', 'zh-CN')).toMatch(/^2026\/12\/7 .*0?0:30:00$/);
  });
});
