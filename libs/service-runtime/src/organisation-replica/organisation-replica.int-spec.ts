// The organisation replica's consumer on a real Postgres, fed by the in-process transport in chunks: a
// chunk's messages claimed in one statement (most register nobody), its registrations in one insert.
import { CERTIFICATION_TOPIC, IntegrationEnvelope, TRAINING_TOPIC } from '@skills/contracts';
import { EventStoreSchema } from '@skills/event-sourcing';
import { DeadLetters, InProcessTransport, MESSAGING_MIGRATIONS, MessageConsumer } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, roundTripsOf, TestDatabase, testCreditCode } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { OrganisationReplicaConsumer } from './organisation-replica.consumer';
import { OrganisationReplicaSchema } from './organisation-replica.schema';

const message = (type: string, aggregateId: string, payload: Record<string, unknown>): IntegrationEnvelope => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  aggregateId,
  aggregateVersion: 1,
  occurredAt: '2026-01-01',
  recordedAt: new Date().toISOString(),
  correlationId: 'organisations-probe',
  payload,
});

const evaluator = (evaluatorId: string, name: string, n: number) =>
  message('EvaluatorRegistered', evaluatorId, { evaluatorId, name, creditCode: testCreditCode(n), kind: 'social_organisation', regionCode: '430200', evaluatorCode: `S43020000${n}` });
const certified = (evaluatorId: string) =>
  message('LevelCertified', randomUUID(), { traineeId: randomUUID(), evaluatorId, certificateNumber: `S${Date.now()}`, level: 'junior', occupationCode: '6-18-02-04' });

describe('OrganisationReplicaConsumer: organisations from their registrations', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transport: InProcessTransport;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'replica', [EventStoreSchema, ...MESSAGING_MIGRATIONS, OrganisationReplicaSchema]);
    database = new Database({ url: testDatabase.url, schema: 'replica' });
    transport = new InProcessTransport();
    const replica = new OrganisationReplicaConsumer(new MessageConsumer(database, new DeadLetters(database, transport)), 'probe.organisations');
    transport.addHandler(CERTIFICATION_TOPIC, (envelope: IntegrationEnvelope) => replica.onCertificationEvent(envelope as never), true);
    transport.addHandler(TRAINING_TOPIC, (envelope: IntegrationEnvelope) => replica.onTrainingEvent(envelope as never), true);
    transport.listen(() => undefined);
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const deliver = (topic: string, messages: IntegrationEnvelope[]) => transport.publish(messages.map((envelope) => ({ topic, key: envelope.aggregateId, envelope })));
  const known = async (ids: string[]) =>
    (await database.query('SELECT organisation_id, kind, name, credit_code, region_code FROM organisations WHERE organisation_id = ANY($1::uuid[]) ORDER BY organisation_id', [ids])).rows;
  const claims = async (messages: IntegrationEnvelope[]) =>
    (await database.query<{ n: number }>("SELECT count(*)::int AS n FROM inbox WHERE consumer = 'probe.organisations' AND message_id = ANY($1::uuid[])", [messages.map((each) => each.eventId)])).rows[0].n;

  it('records the registrations of a chunk in their order, the first one standing, claims every message, and a delivery again changes nothing', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const chunk = [
      certified(first),
      evaluator(first, '株洲市焊接协会', 1),
      certified(first),
      evaluator(second, '湘潭市电工协会', 2),
      // The same organisation registered again (a replay from another source): the first name stands.
      evaluator(first, '改名', 3),
      certified(second),
    ];
    // One chunk: its claims, the insert, BEGIN and COMMIT, whatever it holds.
    expect(await roundTripsOf(() => deliver(CERTIFICATION_TOPIC, chunk))).toBeLessThanOrEqual(3);
    const expected = [
      { organisation_id: first, kind: 'evaluator', name: '株洲市焊接协会', credit_code: testCreditCode(1), region_code: '430200' },
      { organisation_id: second, kind: 'evaluator', name: '湘潭市电工协会', credit_code: testCreditCode(2), region_code: '430200' },
    ].sort((x, y) => (x.organisation_id < y.organisation_id ? -1 : 1));
    expect(await known([first, second])).toEqual(expected);
    expect(await claims(chunk)).toBe(chunk.length);
    // Delivered again (a relay that crashed before it deleted them): every claim is held, nothing changes.
    await deliver(CERTIFICATION_TOPIC, chunk);
    expect(await known([first, second])).toEqual(expected);
    expect(await claims(chunk)).toBe(chunk.length);
  });

  it('keeps a school from the training topic, and a chunk that registers nobody only claims', async () => {
    const school = randomUUID();
    await deliver(TRAINING_TOPIC, [message('ProviderRegistered', school, { providerId: school, name: '株洲市职业技能培训学校', creditCode: testCreditCode(4), regionCode: '430202' })]);
    expect(await known([school])).toEqual([{ organisation_id: school, kind: 'provider', name: '株洲市职业技能培训学校', credit_code: testCreditCode(4), region_code: '430202' }]);
    const nobody = [certified(school), certified(school)];
    expect(await roundTripsOf(() => deliver(CERTIFICATION_TOPIC, nobody))).toBeLessThanOrEqual(2);
    expect(await claims(nobody)).toBe(2);
  });
});
