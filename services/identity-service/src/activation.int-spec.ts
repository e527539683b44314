// identity-service alone redeeming trainees' activation codes (POST /api/v1/users/activate), with the
// codes published by trainee-service given as facts on the trainee topic: one user per code, unknown
// and used codes refused naming the field, a code issued a moment ago waited for, an erasure
// withdrawing the trainee's unused codes (a void leaving an organisation unrelated, those its users
// issued), a chunk of messages applied together in its order, and what
// identity tells the other services of a trainee's user on its own topic.
import { Controller, Module } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ActivationCodeIssuedV1, ActivationCodeIssuedV2, IDENTITY_TOPIC, IntegrationEnvelope, newActivationCode, TRAINEE_TOPIC } from '@skills/contracts';
import { MessageConsumer } from '@skills/messaging';
import { Database } from '@skills/postgres';
import { CatchUp } from '@skills/service-runtime';
import { adminToken, apiSpec, ApiSpec, bearer, createTestDatabase, fact, http, publishFacts, startTestHost, TestDatabase, TestHost, traineeRegisteredFact, waitFor } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TRAINEE_ACCOUNTS_CONSUMER } from './activation-codes/trainee-accounts.consumer';
import { IdentityModule } from './identity.module';

const REPLICA_WAIT_MS = 1500;

/** The identity topic as another service receives it. */
const identityMessages: IntegrationEnvelope[] = [];
@Controller()
class IdentityTopicReader {
  @EventPattern(IDENTITY_TOPIC)
  collect(@Payload() envelope: IntegrationEnvelope): void {
    identityMessages.push(envelope);
  }
}
@Module({ controllers: [IdentityTopicReader] })
class IdentityTopicReaderModule {}

describe('identity: activating a trainee user with an activation code', () => {
  let database: TestDatabase;
  let host: TestHost;
  let spec: ApiSpec;

  beforeAll(async () => {
    database = await createTestDatabase();
    host = await startTestHost({ modules: [IdentityModule, IdentityTopicReaderModule], transport: 'in-process', databaseUrl: database.url, replicaWaitMs: REPLICA_WAIT_MS });
    spec = apiSpec({ host, databaseUrl: database.url, service: 'identity' });
  });

  afterAll(async () => {
    await spec?.close();
    await host?.close();
    await database?.drop();
  });

  const later = '2999-01-01T00:00:00.000Z';
  /** A code trainee-service issued for a new trainee, and its fact on the trainee topic. */
  const issued = (traineeId: string = randomUUID()) => {
    const { code, codeHash } = newActivationCode();
    const payload: ActivationCodeIssuedV1 = { traineeId, codeHash, expiresAt: later, issuedOn: '2021-06-15' };
    return { code, traineeId: payload.traineeId, fact: fact(TRAINEE_TOPIC, 'ActivationCodeIssued', payload, { key: payload.traineeId }) };
  };
  const account = (code: string) => ({ code, username: `trainee.${randomUUID().slice(0, 8)}`, password: 'a-long-password' });
  const refusedCode = (rule: string) => ({ rule, errors: [{ field: 'code', rule }] });

  it('creates a trainee user linked to the trainee, whatever the case and dashes of the code, once', async () => {
    const { code, traineeId, fact } = issued();
    const typed = code.toLowerCase().replace(/-/g, '');
    await spec
      .given(fact)
      .when('POST', '/api/v1/users/activate', account(typed))
      .then(201, [{ type: 'UserCreated', data: { role: 'trainee', traineeId, organisationId: null, organisationKind: null, orgAdmin: false } }]);
    await spec.when('POST', '/api/v1/users/activate', account(code)).then(409, [], { rule: 'activation_code_used' });
  });

  it('creates one user when two redeem one code at once', async () => {
    const { code, fact } = issued();
    await publishFacts(host, [fact]);
    const answers = await Promise.all([0, 1, 2].map(() => http(host.baseUrl, 'POST', '/api/v1/users/activate', account(code))));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
    // Refused by whichever check meets the winner first: the code, or the trainee's one user.
    for (const refused of answers.filter((answer) => answer.status === 409)) expect(['activation_code_used', 'trainee_has_user']).toContain(refused.body.rule);
  });

  it('refuses a taken username (409), leaving the code for another try', async () => {
    const first = issued();
    const second = issued();
    await publishFacts(host, [first.fact, second.fact]);
    const taken = account(first.code);
    await spec.when('POST', '/api/v1/users/activate', taken).then(201);
    await spec.when('POST', '/api/v1/users/activate', { ...account(second.code), username: taken.username.toUpperCase() }).then(409, [], { rule: 'username_taken' });
    await spec.when('POST', '/api/v1/users/activate', account(second.code)).then(201, [{ type: 'UserCreated' }]);
  });

  it('refuses a code not here while nothing is on its way (the catch-up finds no issue left to apply), and takes it once it has arrived', async () => {
    // One issued a moment ago, on its way, is waited for: e2e/src/trainee-activation.e2e-spec.ts redeems a code straight after it is issued.
    const { code, fact } = issued();
    await spec.when('POST', '/api/v1/users/activate', account(code)).then(400, [], refusedCode('activation_code_invalid'));
    await publishFacts(host, [fact]);
    await spec.when('POST', '/api/v1/users/activate', account(code)).then(201, [{ type: 'UserCreated' }]);
  });

  it('refuses at once what cannot be a code, and a body without username or password', async () => {
    // At once: what cannot be a code is not looked for, so never waited for should trainee facts be on
    // their way (CatchUp.lookUp). A code of the right shape is, which shows the spy sees the look-ups.
    const lookUps = jest.spyOn(CatchUp.prototype, 'lookUp');
    try {
      await spec.when('POST', '/api/v1/users/activate', account('not-a-code')).then(400, [], refusedCode('activation_code_invalid'));
      expect(lookUps).not.toHaveBeenCalled();
      await spec.when('POST', '/api/v1/users/activate', account(issued().code)).then(400, [], refusedCode('activation_code_invalid'));
      expect(lookUps).toHaveBeenCalledTimes(1);
    } finally {
      lookUps.mockRestore();
    }
    const { code, fact } = issued();
    await publishFacts(host, [fact]);
    const { status, body } = await http(host.baseUrl, 'POST', '/api/v1/users/activate', { code, username: 'x', password: 'short' });
    expect(status).toBe(400);
    expect(body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['password', 'username']);
  });

  it('applies a chunk in its order with its claims at once: a later code withdraws an earlier one, registrations change nothing, an erasure disables the user as caused by its own message', async () => {
    const person = issued();
    await publishFacts(host, [person.fact]);
    expect((await http(host.baseUrl, 'POST', '/api/v1/users/activate', account(person.code))).status).toBe(201);
    const other = randomUUID();
    const [first, second] = [issued(other), issued(other)];
    const erased = fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId: person.traineeId, erasedOn: '2021-06-16' }, { key: person.traineeId });
    const chunk = [traineeRegisteredFact(randomUUID()), first.fact, traineeRegisteredFact(randomUUID()), second.fact, erased, traineeRegisteredFact(other)];
    // Together: none of them is applied on its own.
    const alone = jest.spyOn(MessageConsumer.prototype, 'consume');
    try {
      await publishFacts(host, chunk);
      expect(alone.mock.calls.filter(([consumer]) => consumer === TRAINEE_ACCOUNTS_CONSUMER)).toEqual([]);
    } finally {
      alone.mockRestore();
    }

    const sql = host.app.get(Database, { strict: false });
    const claimed = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND message_id = ANY($2::uuid[])', [
      TRAINEE_ACCOUNTS_CONSUMER,
      chunk.map((each) => each.envelope.eventId),
    ]);
    expect(claimed.rows[0].n).toBe(chunk.length);
    const disabled = await sql.query<{ causation: string }>(
      `SELECT metadata ->> 'causationId' AS causation FROM events WHERE event_type = 'UserDisabled'
          AND data ->> 'userId' IN (SELECT data ->> 'userId' FROM events WHERE event_type = 'UserCreated' AND data ->> 'traineeId' = $1)`,
      [person.traineeId],
    );
    expect(disabled.rows).toEqual([{ causation: erased.envelope.eventId }]);
    await spec.when('POST', '/api/v1/users/activate', account(first.code)).then(400, [], refusedCode('activation_code_invalid'));
    expect((await http(host.baseUrl, 'POST', '/api/v1/users/activate', account(second.code))).status).toBe(201);
  });

  it("withdraws the trainee's unused codes when their personal data is erased", async () => {
    const { code, traineeId, fact: codeIssued } = issued();
    await publishFacts(host, [codeIssued, fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId, erasedOn: '2021-06-16' }, { key: traineeId })]);
    await spec.when('POST', '/api/v1/users/activate', account(code)).then(400, [], refusedCode('activation_code_invalid'));
  });

  describe("an organisation a void leaves unrelated to the trainee (TraineeUnrelated)", () => {
    /** A staff user of the organisation, as a platform admin creates one. */
    const staffOf = async (organisationId: string, role: 'school_staff' | 'employer_staff') => {
      const created = await http(host.baseUrl, 'POST', '/api/v1/users', { username: `staff.${randomUUID().slice(0, 8)}`, password: 'a-long-password', role, organisationId }, bearer(await adminToken(host.baseUrl)));
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    /** A code trainee-service issued for a new trainee at the request of `userId`, and its fact. */
    const issuedBy = (userId: string, traineeId: string = randomUUID()) => {
      const { code, codeHash } = newActivationCode();
      const payload: ActivationCodeIssuedV2 = { traineeId, codeHash, expiresAt: later, issuedOn: '2021-06-15', issuedBy: { userId, signedInAt: new Date().toISOString(), sessionsEnded: 0 } };
      return { code, traineeId, fact: fact(TRAINEE_TOPIC, 'ActivationCodeIssued', payload, { key: traineeId, schemaVersion: 2 }) };
    };
    const unrelated = (traineeId: string, organisationId: string, kind: 'enrollment' | 'employment') =>
      fact(TRAINEE_TOPIC, 'TraineeUnrelated', { traineeId, organisationId, voidedFacts: [{ kind, id: randomUUID() }] }, { key: traineeId });

    it("withdraws the trainee's unused code a user of the school issued before it voided its enrolment", async () => {
      const school = randomUUID();
      const { code, traineeId, fact: codeIssued } = issuedBy(await staffOf(school, 'school_staff'));
      await publishFacts(host, [codeIssued, unrelated(traineeId, school, 'enrollment')]);
      await spec.when('POST', '/api/v1/users/activate', account(code)).then(400, [], refusedCode('activation_code_invalid'));
    });

    it("withdraws the trainee's unused code a user of the employer issued before it voided its hire", async () => {
      const employer = randomUUID();
      const { code, traineeId, fact: codeIssued } = issuedBy(await staffOf(employer, 'employer_staff'));
      await publishFacts(host, [codeIssued, unrelated(traineeId, employer, 'employment')]);
      await spec.when('POST', '/api/v1/users/activate', account(code)).then(400, [], refusedCode('activation_code_invalid'));
    });

    it("keeps a code another organisation's user issued, and one whose issuer is not known", async () => {
      const [school, other] = [randomUUID(), randomUUID()];
      await staffOf(school, 'school_staff');
      const byOther = issuedBy(await staffOf(other, 'school_staff'));
      const unknownIssuer = issued();
      await publishFacts(host, [byOther.fact, unrelated(byOther.traineeId, school, 'enrollment'), unknownIssuer.fact, unrelated(unknownIssuer.traineeId, school, 'enrollment')]);
      await spec.when('POST', '/api/v1/users/activate', account(byOther.code)).then(201, [{ type: 'UserCreated', data: { traineeId: byOther.traineeId } }]);
      await spec.when('POST', '/api/v1/users/activate', account(unknownIssuer.code)).then(201, [{ type: 'UserCreated', data: { traineeId: unknownIssuer.traineeId } }]);
    });
  });

  it('keeps an erased trainee without a new user, even when the user they had was disabled (and had given up the trainee) before', async () => {
    const { code, traineeId, fact: codeIssued } = issued();
    await publishFacts(host, [codeIssued]);
    const activated = await http(host.baseUrl, 'POST', '/api/v1/users/activate', account(code));
    expect((await http(host.baseUrl, 'POST', `/api/v1/users/${activated.body.id}/disable`, undefined, bearer(await adminToken(host.baseUrl)))).status).toBe(200);
    await publishFacts(host, [fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId, erasedOn: '2021-06-16' }, { key: traineeId })]);
    // A code after the erasure (trainee-service issues none: this one stands for any way one could arrive).
    const { code: stray, fact: strayIssued } = issued(traineeId);
    await publishFacts(host, [strayIssued]);
    await spec.when('POST', '/api/v1/users/activate', account(stray)).then(409, [], { rule: 'trainee_has_user' });
  });

  it("tells the other services when a trainee's user is created, by a code or by a platform admin, and when it is disabled: ids and days only", async () => {
    const { code, traineeId, fact: codeIssued } = issued();
    await publishFacts(host, [codeIssued]);
    const activated = await http(host.baseUrl, 'POST', '/api/v1/users/activate', account(code));
    expect(activated.status).toBe(201);
    const admin = bearer(await adminToken(host.baseUrl));
    const otherTrainee = randomUUID();
    const created = await http(host.baseUrl, 'POST', '/api/v1/users', { username: `made.${randomUUID().slice(0, 8)}`, password: 'a-long-password', role: 'trainee', traineeId: otherTrainee }, admin);
    expect(created.status).toBe(201);
    expect((await http(host.baseUrl, 'POST', `/api/v1/users/${activated.body.id}/disable`, undefined, admin)).status).toBe(200);

    const day = expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/);
    const told = (userId: string) => identityMessages.filter((message) => message.payload && (message.payload as { userId?: string }).userId === userId);
    await waitFor(async () => (told(activated.body.id).length === 2 && told(created.body.id).length === 1 ? true : undefined), { description: "identity's messages" });
    expect(told(activated.body.id)).toEqual([
      expect.objectContaining({ type: 'TraineeUserCreated', aggregateId: activated.body.id, schemaVersion: 1, payload: { traineeId, userId: activated.body.id, createdOn: day } }),
      expect.objectContaining({ type: 'UserDisabled', aggregateId: activated.body.id, payload: { userId: activated.body.id, disabledOn: day } }),
    ]);
    expect(told(created.body.id)).toEqual([expect.objectContaining({ type: 'TraineeUserCreated', payload: { traineeId: otherTrainee, userId: created.body.id, createdOn: day } })]);
  });
});
