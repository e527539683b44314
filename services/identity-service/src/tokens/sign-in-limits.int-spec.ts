// The sign-in limits as attempts at once meet them: the right passwords at once are not refused for attempts
// merely under way, a burst of wrong guesses still gets no more than a limit's worth of tries, and a refusal
// says when the next attempt would be judged again (Retry-After), from the failures that hold the limit.
import { Clock } from '@skills/domain-kernel';
import { http, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { callerOf, closeIdentitySpecHost, FIRST_ADMIN_PASSWORD, startIdentitySpecHost } from '../identity-spec-host';

/** At a whole second of the wall clock (the tokens it signs are checked against it), moved on by `after`. */
let instant = Math.floor(Date.now() / 1000) * 1000;
const clock: Clock = { now: () => new Date(instant) };
const after = (seconds: number) => (instant += seconds * 1000);

describe('identity: sign-in limits with attempts at once', () => {
  let database: TestDatabase;
  let host: TestHost;
  let admin: string;
  const call = callerOf(() => host);
  const signInFrom = (address: string, username: string, password: string) =>
    http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password }, { 'x-forwarded-for': address });
  const createUser = async (username: string, password: string) =>
    expect((await call('POST', '/api/v1/users', { username, password, role: 'school_staff', organisationId: randomUUID() }, admin)).status).toBe(201);
  const statusesOf = async (answers: Promise<{ status: number }>[]) => (await Promise.all(answers)).map((answer) => answer.status);

  beforeAll(async () => {
    ({ database, host } = await startIdentitySpecHost({ clock }));
    admin = (await call('POST', '/oauth/token', { grant_type: 'password', username: 'admin', password: FIRST_ADMIN_PASSWORD })).body.access_token as string;
  });

  afterAll(() => closeIdentitySpecHost({ database, host }));

  it('signs a dozen right passwords of one user in at once, while a dozen wrong guesses at once get five tries and the right one after them 429', async () => {
    await createUser('busy.clerk', 'busy-clerk-pass');
    expect((await signInFrom('198.51.100.60', 'busy.clerk', 'busy-clerk-pass')).status).toBe(200);
    // Twelve tabs (or a script's workers) signing in at once from where the user signed in before.
    expect(await statusesOf(Array.from({ length: 12 }, () => signInFrom('198.51.100.60', 'busy.clerk', 'busy-clerk-pass')))).toEqual(new Array(12).fill(200));

    await createUser('guessed.clerk', 'guessed-clerk-pass');
    const guesses = await statusesOf(Array.from({ length: 12 }, (_, guess) => signInFrom('192.0.2.60', 'guessed.clerk', `guess-${guess}`)));
    expect(guesses.filter((status) => status === 401)).toHaveLength(5);
    expect(guesses.filter((status) => status !== 401).every((status) => status === 429)).toBe(true);
    expect((await signInFrom('192.0.2.60', 'guessed.clerk', 'guessed-clerk-pass')).status).toBe(429);
  });

  it('signs a class of thirty in at once from one address (a school’s router)', async () => {
    const pupils = Array.from({ length: 30 }, (_, pupil) => `class.pupil.${pupil}`);
    for (const pupil of pupils) await createUser(pupil, `${pupil}-pass`);
    expect(await statusesOf(pupils.map((pupil) => signInFrom('203.0.113.60', pupil, `${pupil}-pass`)))).toEqual(new Array(30).fill(200));
  });

  it('lets a shared address (two users signed in from it) fail 20 times for each of them before it refuses, and no more', async () => {
    const staff = ['shared.router.a', 'shared.router.b'];
    for (const user of staff) {
      await createUser(user, `${user}-pass`);
      expect((await signInFrom('203.0.113.70', user, `${user}-pass`)).status).toBe(200);
    }
    // Mistyped names and passwords of a class behind the router: forty, none over a username's own limit.
    for (let mistake = 1; mistake <= 40; mistake++) expect((await signInFrom('203.0.113.70', `mistyped.${mistake}`, 'wrong')).status).toBe(401);
    expect((await signInFrom('203.0.113.70', 'shared.router.a', 'shared.router.a-pass')).status).toBe(429);
    // An address nobody signed in from holds the limit of twenty.
    for (let guess = 1; guess <= 20; guess++) expect((await signInFrom('192.0.2.70', `sprayed.${guess}`, 'wrong')).status).toBe(401);
    expect((await signInFrom('192.0.2.70', 'shared.router.b', 'shared.router.b-pass')).status).toBe(429);
  });

  it('answers Retry-After from when the oldest failure holding the limit leaves the window, at least a second', async () => {
    await createUser('patient.clerk', 'patient-clerk-pass');
    // Five failures, a minute apart: the limit of five for the username at this address.
    for (let failure = 0; failure < 5; failure++) {
      expect((await signInFrom('192.0.2.61', 'patient.clerk', `wrong-${failure}`)).status).toBe(401);
      after(60);
    }
    // Ten minutes after the first, which leaves the 15 minutes' window five minutes on.
    after(600 - 5 * 60);
    const limited = await signInFrom('192.0.2.61', 'patient.clerk', 'patient-clerk-pass');
    expect(limited).toMatchObject({ status: 429, body: { rule: 'too_many_sign_ins', retryAfter: 300 } });
    expect(limited.headers.get('retry-after')).toBe('300');
    after(299.5);
    expect((await signInFrom('192.0.2.61', 'patient.clerk', 'patient-clerk-pass')).headers.get('retry-after')).toBe('1');
    after(0.5);
    expect((await signInFrom('192.0.2.61', 'patient.clerk', 'patient-clerk-pass')).status).toBe(200);
  });
});
