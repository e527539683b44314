// A user's console preferences over HTTP on a real Postgres: kept on their own user stream
// (PreferencesChanged), so another session (another device) reads what this one saved; each user only
// their own; bad values refused naming the field.
import { adminToken, apiSpec, ApiSpec, bearer, createTestDatabase, http, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { IdentityModule } from '../identity.module';

describe('identity: my preferences follow me to another device', () => {
  let database: TestDatabase;
  let host: TestHost;
  let spec: ApiSpec;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    spec = apiSpec({ host, databaseUrl: database.url, service: 'identity' });
  });

  afterAll(async () => {
    await spec?.close();
    await host?.close();
    await database?.drop();
  });

  /** A new school clerk: their id, and how to sign in as them again (a new session, as from another device). */
  const clerk = async () => {
    const username = `clerk.${randomUUID().slice(0, 8)}`;
    const password = 'clerk-long-password';
    const created = await http(host.baseUrl, 'POST', '/api/v1/users', { username, password, role: 'school_staff', organisationId: randomUUID() }, bearer(await adminToken(host.baseUrl)));
    expect(created.status).toBe(201);
    const signIn = async () => {
      const answer = await http(host.baseUrl, 'POST', '/oauth/token', { grant_type: 'password', username, password });
      expect(answer.status).toBe(200);
      return bearer(answer.body.access_token as string);
    };
    return { id: created.body.id as string, signIn };
  };

  it('answers zh-CN and elder mode off for a user who never chose', async () => {
    const { signIn } = await clerk();
    await spec.when('GET', '/api/v1/me/preferences', undefined, await signIn()).then(200, [], { locale: 'zh-CN', elderMode: false });
  });

  it('keeps what one session saves on the user’s stream, and a new sign-in reads it, in /me too', async () => {
    const { id, signIn } = await clerk();
    const laptop = await signIn();
    await spec
      .when('PUT', '/api/v1/me/preferences', { locale: 'en' }, laptop)
      .then(200, [{ type: 'PreferencesChanged', data: { userId: id, locale: 'en', elderMode: false } }], { locale: 'en', elderMode: false });
    // A field left out stays as it was.
    const { events } = await spec
      .when('PUT', '/api/v1/me/preferences', { elderMode: true }, laptop)
      .then(200, [{ type: 'PreferencesChanged', data: { userId: id, locale: 'en', elderMode: true } }], { locale: 'en', elderMode: true });
    expect(events[0].streamId).toBe(`user-${id}`);

    const phone = await signIn();
    expect(await http(host.baseUrl, 'GET', '/api/v1/me/preferences', undefined, phone)).toMatchObject({ status: 200, body: { locale: 'en', elderMode: true } });
    expect(await http(host.baseUrl, 'GET', '/api/v1/me', undefined, phone)).toMatchObject({ status: 200, body: { userId: id, role: 'school_staff', preferences: { locale: 'en', elderMode: true } } });
  });

  it('says in /me whether the user ever chose, and records a first choice even of the defaults', async () => {
    const { id, signIn } = await clerk();
    const session = await signIn();
    expect(await http(host.baseUrl, 'GET', '/api/v1/me', undefined, session)).toMatchObject({ status: 200, body: { preferences: { locale: 'zh-CN', elderMode: false }, preferencesChosen: false } });
    await spec
      .when('PUT', '/api/v1/me/preferences', { locale: 'zh-CN', elderMode: false }, session)
      .then(200, [{ type: 'PreferencesChanged', data: { userId: id, locale: 'zh-CN', elderMode: false } }], { locale: 'zh-CN', elderMode: false });
    expect(await http(host.baseUrl, 'GET', '/api/v1/me', undefined, await signIn())).toMatchObject({ status: 200, body: { preferencesChosen: true } });
    await spec.when('PUT', '/api/v1/me/preferences', { locale: 'zh-CN' }, session).then(200, []);
  });

  it('records nothing when the preferences are the same again, and answers them', async () => {
    const { signIn } = await clerk();
    const session = await signIn();
    await spec.when('PUT', '/api/v1/me/preferences', { locale: 'en', elderMode: true }, session).then(200, [{ type: 'PreferencesChanged' }]);
    await spec.when('PUT', '/api/v1/me/preferences', { locale: 'en', elderMode: true }, session).then(200, [], { locale: 'en', elderMode: true });
    await spec.when('PUT', '/api/v1/me/preferences', {}, session).then(200, [], { locale: 'en', elderMode: true });
  });

  it('changes only the caller’s own preferences', async () => {
    const [first, second] = [await clerk(), await clerk()];
    await spec.when('PUT', '/api/v1/me/preferences', { locale: 'en', elderMode: true }, await first.signIn()).then(200, [{ type: 'PreferencesChanged', data: { userId: first.id } }]);
    await spec.when('GET', '/api/v1/me/preferences', undefined, await second.signIn()).then(200, [], { locale: 'zh-CN', elderMode: false });
  });

  it('refuses an unknown locale, an elder mode that is not a boolean, null and unknown fields, naming the field', async () => {
    const { signIn } = await clerk();
    const session = await signIn();
    const refused = (body: unknown, field: string) => spec.when('PUT', '/api/v1/me/preferences', body, session).then(400, [], { errors: [expect.objectContaining({ field })] });
    await refused({ locale: 'fr' }, 'locale');
    await refused({ locale: 'zh-cn' }, 'locale');
    await refused({ elderMode: 'yes' }, 'elderMode');
    await refused({ elderMode: 1 }, 'elderMode');
    await refused({ elderMode: null }, 'elderMode');
    await refused({ locale: 'en', theme: 'dark' }, 'theme');
    await spec.when('GET', '/api/v1/me/preferences', undefined, session).then(200, [], { locale: 'zh-CN', elderMode: false });
  });

  it('answers 401 without a token', async () => {
    await spec.when('GET', '/api/v1/me/preferences').then(401);
    await spec.when('PUT', '/api/v1/me/preferences', { locale: 'en' }).then(401, []);
  });
});
