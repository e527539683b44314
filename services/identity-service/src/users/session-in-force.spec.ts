// The rule of an ended session (sessionEnded), for a token's credential commands and for an activation code
// issued with a token: by its sign-in's second, and by its count of the user's session ends.
import { sessionEnded } from './session-in-force';

const reset = '2026-12-07T01:50:11.945Z';

describe('an ended session', () => {
  it('is one signed in before the end’s second; one of the same second or after holds', () => {
    expect(sessionEnded([reset], { signedInAt: new Date('2026-12-07T01:50:10.000Z') })).toBe(true);
    expect(sessionEnded([reset], { signedInAt: new Date('2026-12-07T01:50:11.000Z') })).toBe(false);
    expect(sessionEnded([], { signedInAt: new Date('2026-12-07T01:50:10.000Z') })).toBe(false);
  });

  it('is one whose token counts fewer session ends than its user has, though it signed in after the end’s instant (it read the old password while the reset committed)', () => {
    const racing = { signedInAt: new Date('2026-12-07T01:50:12.000Z'), sessionsEnded: 0 };
    expect(sessionEnded([reset], racing)).toBe(true);
    expect(sessionEnded([reset], { ...racing, sessionsEnded: 1 })).toBe(false);
  });

  it('as of an instant (an activation code’s issue): only the ends until then count, by time and by number', () => {
    const racing = { signedInAt: new Date('2026-12-07T01:50:12.000Z'), sessionsEnded: 0 };
    expect(sessionEnded([reset], racing, new Date('2026-12-07T01:50:13.000Z'))).toBe(true);
    expect(sessionEnded([reset], { signedInAt: new Date('2026-12-07T01:50:00.000Z'), sessionsEnded: 0 }, new Date('2026-12-07T01:50:05.000Z'))).toBe(false);
  });

  it('is any with a token that says neither its sign-in nor its count, once its user had an end', () => {
    expect(sessionEnded([reset], {})).toBe(true);
    expect(sessionEnded([], {})).toBe(false);
  });
});
