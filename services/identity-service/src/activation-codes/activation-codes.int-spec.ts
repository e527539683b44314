// An activation code is redeemed only on trainee-service's facts as they were when the request arrived:
// a code identity holds may have been withdrawn by a fact still on its way (a newer code, a void, an
// erasure), or by one parked here as a dead letter of identity.trainee-accounts. identity-service alone,
// the codes given as facts on the trainee topic; the letters parked as the consumer parks them. (The lag
// itself, a newer code not arrived yet, is e2e/src/trainee-activation.e2e-spec.ts's.)
import { ActivationCodeIssuedV1, ActivationCodeIssuedV2, newActivationCode, TRAINEE_TOPIC } from '@skills/contracts';
import { Database } from '@skills/postgres';
import { ApiSpec, apiSpec, createTestDatabase, fact, http, parkDeadLetter, publishFacts, startTestHost, TestDatabase, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TRAINEE_ACCOUNTS_CONSUMER } from './trainee-accounts.consumer';
import { IdentityModule } from '../identity.module';

describe('identity: an activation code redeemed only on facts that have caught up', () => {
  let database: TestDatabase;
  let host: TestHost;
  let spec: ApiSpec;
  let sql: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule], transport: 'in-process', databaseUrl: database.url });
    spec = apiSpec({ host, databaseUrl: database.url, service: 'identity' });
    sql = host.app.get(Database, { strict: false });
  });

  afterAll(async () => {
    await spec?.close();
    await host?.close();
    await database?.drop();
  });

  const issued = (traineeId: string = randomUUID()) => {
    const { code, codeHash } = newActivationCode();
    const payload: ActivationCodeIssuedV1 = { traineeId, codeHash, expiresAt: '2999-01-01T00:00:00.000Z', issuedOn: '2021-06-15' };
    return { code, traineeId, fact: fact(TRAINEE_TOPIC, 'ActivationCodeIssued', payload, { key: traineeId }) };
  };
  const account = (code: string) => ({ code, username: `trainee.${randomUUID().slice(0, 8)}`, password: 'a-long-password' });
  const usersOf = async (traineeId: string) =>
    (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE event_type = 'UserCreated' AND data->>'traineeId' = $1`, [traineeId])).rows[0].n;

  /** A fact of the trainee topic identity.trainee-accounts could not apply, as the consumer parks it; its event id. */
  const park = (type: string, aggregateId: string, payload: Record<string, unknown>): Promise<string> => parkDeadLetter(sql, TRAINEE_ACCOUNTS_CONSUMER, TRAINEE_TOPIC, { type, aggregateId, payload });
  /** As a retry that applied the letter leaves it: its message in the inbox. */
  const applied = (eventId: string) => sql.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2)', [TRAINEE_ACCOUNTS_CONSUMER, eventId]);

  it('refuses a code while a fact about its trainee waits as a dead letter (503 with Retry-After, no user), and redeems it once the letter is applied', async () => {
    const { code, traineeId, fact: codeIssued } = issued();
    await publishFacts(host, [codeIssued]);
    // A void, say, that would have withdrawn the code.
    const letter = await park('TraineeRegistrationVoided', traineeId, { traineeId, voidedOn: '2021-06-16' });
    const refused = await http(host.baseUrl, 'POST', '/api/v1/users/activate', account(code));
    expect(refused).toMatchObject({ status: 503, body: { rule: 'facts_not_caught_up' } });
    expect(refused.headers.get('retry-after')).toBe('60');
    // Nothing about the trainee in the answer to this public route: not even their id.
    expect(JSON.stringify(refused.body)).not.toContain(traineeId);
    expect(await usersOf(traineeId)).toBe(0);
    await applied(letter);
    await spec.when('POST', '/api/v1/users/activate', account(code)).then(201, [{ type: 'UserCreated', data: { traineeId } }]);
  });

  it('answers a code whose issue waits as a dead letter with 503, not "no such activation code"', async () => {
    const { code, traineeId, fact: codeIssued } = issued();
    await park('ActivationCodeIssued', traineeId, codeIssued.envelope.payload as Record<string, unknown>);
    await spec.when('POST', '/api/v1/users/activate', account(code)).then(503, [], { rule: 'facts_not_caught_up' });
  });

  it('is not held back by a letter about another trainee', async () => {
    const { code, traineeId, fact: codeIssued } = issued();
    await publishFacts(host, [codeIssued]);
    await park('TraineeRegistrationVoided', randomUUID(), { traineeId: randomUUID(), voidedOn: '2021-06-16' });
    await spec.when('POST', '/api/v1/users/activate', account(code)).then(201, [{ type: 'UserCreated', data: { traineeId } }]);
  });

  it('keeps and redeems a code an outside issuer’s user issued (OIDC_ISSUER: a subject that is no UUID), whose sessions identity does not hold', async () => {
    const traineeId = randomUUID();
    const { code, codeHash } = newActivationCode();
    const payload: ActivationCodeIssuedV2 = {
      traineeId,
      codeHash,
      expiresAt: '2999-01-01T00:00:00.000Z',
      issuedOn: '2021-06-15',
      issuedBy: { userId: 'auth0|5f0c2d8e91', signedInAt: '2021-06-15T01:00:00.000Z', sessionsEnded: 0 },
    };
    await publishFacts(host, [fact(TRAINEE_TOPIC, 'ActivationCodeIssued', payload, { key: traineeId, schemaVersion: 2 })]);
    expect((await sql.query(`SELECT 1 FROM dead_letters WHERE envelope->>'aggregateId' = $1`, [traineeId])).rows).toEqual([]);
    await spec.when('POST', '/api/v1/users/activate', account(code)).then(201, [{ type: 'UserCreated', data: { traineeId } }]);
  });
});
