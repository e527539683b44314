// Every refusal rule of identity-service's aggregate, provoked over HTTP as the first admin. The table
// is checked against the rules the aggregate's source can raise.
import { newActivationCode, TRAINEE_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { adminToken, apiSpec, ApiSpec, bearer, createTestDatabase, fact, refusalRulesOf, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { IdentityModule } from './identity.module';

describe('identity: every refusal rule over HTTP', () => {
  let database: TestDatabase;
  let host: TestHost;
  let spec: ApiSpec;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    spec = apiSpec({ host, databaseUrl: database.url, service: 'identity', token: await adminToken(host.baseUrl) });
  });

  afterAll(async () => {
    await spec?.close();
    await host?.close();
    await database?.drop();
  });

  const user = (fields: Record<string, unknown>) => ({ username: `user.${randomUUID().slice(0, 8)}`, password: 'a-long-password', ...fields });
  const created = async (fields: Record<string, unknown> = { role: 'platform_admin' }) => (await spec.when('POST', '/api/v1/users', user(fields)).then(201, [{ type: 'UserCreated' }])).body.id as string;
  /** A new platform admin signed in as themself, to enrol their own second factor. */
  const signedInUser = async (fields: Record<string, unknown> = { role: 'platform_admin' }) => {
    const username = `totp.${randomUUID().slice(0, 8)}`;
    const id = await created({ ...fields, username });
    const signedIn = await spec.when('POST', '/oauth/token', { grant_type: 'password', username, password: 'a-long-password' }).then(200);
    return { id, own: bearer(signedIn.body.access_token) };
  };
  const codeOf = (secret: string, offsetSeconds = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + offsetSeconds * 1000 });
  const refusedField = (fields: Record<string, unknown>, field: string, rule: string) =>
    spec.when('POST', '/api/v1/users', user(fields)).then(400, [], { rule, errors: [{ field, rule }] });

  const scenarios: Record<string, (spec: ApiSpec) => Promise<unknown>> = {
    organisation_required: () => refusedField({ role: 'school_staff' }, 'organisationId', 'organisation_required'),
    organisation_not_allowed: () => refusedField({ role: 'platform_admin', organisationId: randomUUID() }, 'organisationId', 'organisation_not_allowed'),
    trainee_required: () => refusedField({ role: 'trainee' }, 'traineeId', 'trainee_required'),
    trainee_not_allowed: () => refusedField({ role: 'school_staff', organisationId: randomUUID(), traineeId: randomUUID() }, 'traineeId', 'trainee_not_allowed'),
    org_admin_needs_organisation: () => refusedField({ role: 'platform_admin', orgAdmin: true }, 'orgAdmin', 'org_admin_needs_organisation'),
    organisation_kind_mismatch: async (spec) => {
      // The register holds a provider: no bureau officer for it (its region would make them a bureau there).
      const provider = { providerId: randomUUID(), name: '株洲新希望焊接培训学校', creditCode: '91430200MA4L00001P', regionCode: '430202' };
      await spec
        .given(fact(TRAINING_TOPIC, 'ProviderRegistered', provider, { key: provider.providerId }))
        .when('POST', '/api/v1/users', user({ role: 'bureau_officer', organisationId: provider.providerId }))
        .then(400, [], { rule: 'organisation_kind_mismatch', errors: [{ field: 'organisationId', rule: 'organisation_kind_mismatch' }] });
      await spec.when('POST', '/api/v1/users', user({ role: 'school_staff', organisationId: provider.providerId })).then(201, [{ type: 'UserCreated' }]);
    },
    user_already_disabled: async (spec) => {
      const id = await created();
      await spec.when('POST', `/api/v1/users/${id}/disable`).then(200, [{ type: 'UserDisabled' }]);
      await spec.when('POST', `/api/v1/users/${id}/disable`).then(409, [], { rule: 'user_already_disabled' });
    },
    last_platform_admin: async () => {
      // On a platform of its own, where the first admin is the only one (this suite's has many).
      const alone = await createTestDatabase();
      const host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: alone.url });
      const only = apiSpec({ host, databaseUrl: alone.url, service: 'identity', token: await adminToken(host.baseUrl) });
      try {
        const me = await only.when('GET', '/api/v1/me').then(200);
        await only.when('POST', `/api/v1/users/${me.body.userId}/disable`).then(409, [], { rule: 'last_platform_admin' });
      } finally {
        await only.close();
        await host.close();
        await alone.drop();
      }
    },
    cannot_disable_self: async (spec) => {
      const { id, own } = await signedInUser();
      await spec.when('POST', `/api/v1/users/${id}/disable`, undefined, own).then(409, [], { rule: 'cannot_disable_self' });
    },
    user_disabled: async (spec) => {
      const id = await created();
      await spec.when('POST', `/api/v1/users/${id}/disable`).then(200);
      await spec.when('POST', `/api/v1/users/${id}/password`, { password: 'another-long-password' }).then(409, [], { rule: 'user_disabled' });
    },
    current_password_wrong: async (spec) => {
      const { id, own } = await signedInUser();
      await spec
        .when('POST', `/api/v1/users/${id}/password`, { password: 'my-new-long-password', currentPassword: 'not-my-password' }, own)
        .then(400, [], { rule: 'current_password_wrong', errors: [{ field: 'currentPassword', rule: 'current_password_wrong' }] });
    },
    own_password_not_temporary: async (spec) => {
      const { id, own } = await signedInUser();
      await spec
        .when('POST', `/api/v1/users/${id}/password`, { password: 'my-new-long-password', currentPassword: 'a-long-password', temporaryPassword: true }, own)
        .then(400, [], { rule: 'own_password_not_temporary', errors: [{ field: 'temporaryPassword', rule: 'own_password_not_temporary' }] });
    },
    password_not_new: async (spec) => {
      const { id, own } = await signedInUser();
      await spec
        .when('POST', `/api/v1/users/${id}/password`, { password: 'a-long-password', currentPassword: 'a-long-password' }, own)
        .then(400, [], { rule: 'password_not_new', errors: [{ field: 'password', rule: 'password_not_new' }] });
    },
    api_key_already_revoked: async (spec) => {
      // A staff user's own key (a platform admin makes none, domain.md section 9), revoked by a platform admin.
      const { own } = await signedInUser({ role: 'school_staff', organisationId: randomUUID() });
      const { body } = await spec.when('POST', '/api/v1/api-keys', { name: 'script' }, own).then(201, [{ type: 'ApiKeyCreated' }]);
      await spec.when('DELETE', `/api/v1/api-keys/${body.clientId}`).then(204, [{ type: 'ApiKeyRevoked' }]);
      await spec.when('DELETE', `/api/v1/api-keys/${body.clientId}`).then(409, [], { rule: 'api_key_already_revoked' });
    },
    totp_not_enrolled: async (spec) => {
      const { id, own } = await signedInUser();
      await spec.when('POST', `/api/v1/users/${id}/totp/confirm`, { code: '123456' }, own).then(409, [], { rule: 'totp_not_enrolled' });
    },
    totp_code_invalid: async (spec) => {
      const { id, own } = await signedInUser();
      const { body } = await spec.when('POST', `/api/v1/users/${id}/totp`, { currentPassword: 'a-long-password' }, own).then(201, [{ type: 'TotpEnrolled' }]);
      await spec.when('POST', `/api/v1/users/${id}/totp/confirm`, { code: codeOf(body.secret, 3600) }, own).then(400, [], { rule: 'totp_code_invalid', errors: [{ field: 'code', rule: 'totp_code_invalid' }] });
    },
    activation_code_expired: async (spec) => {
      const { code, codeHash } = newActivationCode();
      const issued = { traineeId: randomUUID(), codeHash, expiresAt: '2021-06-29T02:00:00.000Z', issuedOn: '2021-06-15' };
      await spec
        .given(fact(TRAINEE_TOPIC, 'ActivationCodeIssued', issued, { key: issued.traineeId }))
        .when('POST', '/api/v1/users/activate', { code, ...user({}) })
        .then(409, [], { rule: 'activation_code_expired' });
    },
    totp_already_enrolled: async (spec) => {
      const { id, own } = await signedInUser();
      const { body } = await spec.when('POST', `/api/v1/users/${id}/totp`, { currentPassword: 'a-long-password' }, own).then(201, [{ type: 'TotpEnrolled' }]);
      await spec.when('POST', `/api/v1/users/${id}/totp/confirm`, { code: codeOf(body.secret) }, own).then(200, [{ type: 'TotpConfirmed' }]);
      await spec.when('POST', `/api/v1/users/${id}/totp`, { currentPassword: 'a-long-password' }, own).then(409, [], { rule: 'totp_already_enrolled' });
    },
  };

  it("has a scenario for exactly the rules identity-service's aggregates can raise", () => {
    expect(Object.keys(scenarios).sort()).toEqual(refusalRulesOf(path.join(__dirname)));
  });

  it.each(Object.keys(scenarios))('refuses by %s', async (rule) => {
    await scenarios[rule](spec);
  });

  it('lets a user change their own password with the current one, and no one else’s (403 users:password)', async () => {
    const school = randomUUID();
    const username = `own.${randomUUID().slice(0, 8)}`;
    const id = await created({ role: 'school_staff', organisationId: school, username });
    const signedIn = await spec.when('POST', '/oauth/token', { grant_type: 'password', username, password: 'a-long-password' }).then(200);
    const own = bearer(signedIn.body.access_token);
    await spec.when('POST', `/api/v1/users/${id}/password`, { password: 'my-new-long-password' }, own).then(400, [], { errors: [{ field: 'currentPassword', rule: 'required' }] });
    // Another's before one's own: the change ends the session of `own` (401 session_ended once a second has passed).
    const colleague = await created({ role: 'school_staff', organisationId: school });
    await spec.when('POST', `/api/v1/users/${colleague}/password`, { password: 'not-mine-to-change' }, own).then(403, [], { permission: 'users:password' });
    await spec.when('POST', `/api/v1/users/${id}/password`, { password: 'my-new-long-password', currentPassword: 'a-long-password' }, own).then(200, [{ type: 'PasswordChanged' }]);
  });
});
