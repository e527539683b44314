// The trainee relations' consumer on a real Postgres, fed by the in-process transport in chunks: a chunk's
// relations in one statement, every message claimed once (those that relate nobody too), the facts a
// service relates itself not consumed at all.
import { CERTIFICATION_TOPIC, currentSchemaVersion, IntegrationEnvelope, PLACEMENT_TOPIC, TRAINEE_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { EventStoreSchema } from '@skills/event-sourcing';
import { DeadLetters, InProcessTransport, MESSAGING_MIGRATIONS, MessageConsumer } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeRelationsConsumer } from './trainee-relations.consumer';
import { TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from './trainee-relations.schema';

const INBOX = 'probe.trainee-relations';

const message = (topic: string, type: string, payload: Record<string, unknown>) => ({
  topic,
  envelope: {
    eventId: randomUUID(),
    type,
    schemaVersion: currentSchemaVersion(type),
    aggregateId: String(payload.traineeId),
    aggregateVersion: 1,
    occurredAt: '2026-01-01',
    recordedAt: new Date().toISOString(),
    correlationId: 'relations-probe',
    payload,
  } as IntegrationEnvelope,
});

describe('TraineeRelationsConsumer: trainee_relations from the facts that relate an organisation to a trainee', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transport: InProcessTransport;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'relations', [EventStoreSchema, ...MESSAGING_MIGRATIONS, TraineeRelationsSchema, TraineeRelationsByCertificates, TraineeRelationsByFacts]);
    database = new Database({ url: testDatabase.url, schema: 'relations' });
    transport = new InProcessTransport();
    const relations = new TraineeRelationsConsumer(new MessageConsumer(database, new DeadLetters(database, transport)), { inbox: INBOX, relatedWithTheFact: ['TraineeRegistered'] });
    transport.addHandler(TRAINEE_TOPIC, (envelope: IntegrationEnvelope) => relations.onTraineeEvent(envelope), true);
    transport.addHandler(TRAINING_TOPIC, (envelope: IntegrationEnvelope) => relations.onTrainingEvent(envelope), true);
    transport.addHandler(CERTIFICATION_TOPIC, (envelope: IntegrationEnvelope) => relations.onCertificationEvent(envelope), true);
    transport.addHandler(PLACEMENT_TOPIC, (envelope: IntegrationEnvelope) => relations.onPlacementEvent(envelope), true);
    transport.listen(() => undefined);
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  type Delivered = ReturnType<typeof message>;
  const deliver = (messages: Delivered[]) => transport.publish(messages.map(({ topic, envelope }) => ({ topic, key: envelope.aggregateId, envelope })));
  const relationsOf = async (traineeIds: string[]) =>
    (
      await database.query<{ trainee_id: string; organisation_id: string }>(
        'SELECT trainee_id, organisation_id FROM trainee_relations WHERE trainee_id = ANY($1::uuid[]) ORDER BY trainee_id, organisation_id',
        [traineeIds],
      )
    ).rows;
  const claims = async (messages: Delivered[]) =>
    (await database.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND message_id = ANY($2::uuid[])', [INBOX, messages.map(({ envelope }) => envelope.eventId)])).rows[0].n;

  it('relates a chunk in the order delivered, claims what relates nobody, skips what the service relates itself, and a delivery again changes nothing', async () => {
    const [a, b] = [randomUUID(), randomUUID()].sort();
    const [school, evaluator, employer] = ['school-1', randomUUID(), 'employer-1'];
    const course = { title: '焊工', providerId: school, providerCreditCode: 'credit', occupationCode: '6-18-02-04', occupationEdition: '2019', kind: 'skill' };
    const related = [
      message(TRAINING_TOPIC, 'TraineeEnrolled', { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId: a, course }),
      // Enrolled twice by the school in the chunk, certified twice by the evaluator: one row each.
      message(TRAINING_TOPIC, 'TraineeEnrolled', { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId: a, course }),
      message(CERTIFICATION_TOPIC, 'LevelCertified', { certificateNumber: 'S1', traineeId: a, evaluatorId: evaluator }),
      message(CERTIFICATION_TOPIC, 'LevelCertified', { certificateNumber: 'S2', traineeId: a, evaluatorId: evaluator }),
      message(PLACEMENT_TOPIC, 'TraineeHired', { employmentId: randomUUID(), placementId: randomUUID(), traineeId: b, employerId: employer }),
    ];
    const relatingNobody = message(TRAINEE_TOPIC, 'TraineeCorrected', { traineeId: b, nameMasked: '李*', correctedOn: '2026-01-02' });
    const relatedByTheService = message(TRAINEE_TOPIC, 'TraineeRegistered', { traineeId: b, registeredBy: school });
    const chunk = [...related, relatingNobody, relatedByTheService];
    await deliver(chunk);
    const expected = [
      { trainee_id: a, organisation_id: evaluator },
      { trainee_id: a, organisation_id: school },
      { trainee_id: b, organisation_id: employer },
    ].sort((x, y) => (x.trainee_id + x.organisation_id < y.trainee_id + y.organisation_id ? -1 : 1));
    expect(await relationsOf([a, b])).toEqual(expected);
    expect(await claims([...related, relatingNobody])).toBe(related.length + 1);
    expect(await claims([relatedByTheService])).toBe(0);
    await deliver(chunk);
    expect(await relationsOf([a, b])).toEqual(expected);
    expect(await claims(chunk)).toBe(related.length + 1);
  });
});
