// The trainee replica's consumer on a real Postgres, fed by the in-process transport in chunks: a chunk's
// registrations in one insert, every message in the order delivered, each applied once.
import { IntegrationEnvelope, TRAINEE_TOPIC } from '@skills/contracts';
import { EventStoreSchema } from '@skills/event-sourcing';
import { DeadLetters, InProcessTransport, MESSAGING_MIGRATIONS, MessageConsumer } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeReplicaConsumer } from './trainee-replica.consumer';
import { TraineeReplicaForgotten, TraineeReplicaSchema, TraineeReplicaWorkingAge } from './trainee-replica.schema';

const message = (type: string, payload: Record<string, unknown>): IntegrationEnvelope => ({
  eventId: randomUUID(),
  type,
  schemaVersion: type === 'TraineeRegistered' ? 4 : 1,
  aggregateId: String(payload.traineeId),
  aggregateVersion: 1,
  occurredAt: '2026-01-01',
  recordedAt: new Date().toISOString(),
  correlationId: 'replica-probe',
  payload,
});

const registered = (traineeId: string, nameMasked: string, workingAgeFrom: string | null = null) =>
  message('TraineeRegistered', { traineeId, nameMasked, categories: [], registeredOn: '2026-01-01', registeredBy: null, workingAgeFrom });

describe('TraineeReplicaConsumer: known_trainees from the trainee topic', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transport: InProcessTransport;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'replica', [EventStoreSchema, ...MESSAGING_MIGRATIONS, TraineeReplicaSchema, TraineeReplicaWorkingAge, TraineeReplicaForgotten]);
    database = new Database({ url: testDatabase.url, schema: 'replica' });
    transport = new InProcessTransport();
    const replica = new TraineeReplicaConsumer(new MessageConsumer(database, new DeadLetters(database, transport)), 'probe.known-trainees');
    transport.addHandler(TRAINEE_TOPIC, (envelope: IntegrationEnvelope) => replica.onTraineeEvent(envelope as never), true);
    transport.listen(() => undefined);
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const deliver = (messages: IntegrationEnvelope[]) => transport.publish(messages.map((envelope) => ({ topic: TRAINEE_TOPIC, key: envelope.aggregateId, envelope })));
  const known = async (ids: string[]) =>
    (
      await database.query<{ trainee_id: string; name_masked: string | null; working_age_from: string | null }>(
        "SELECT trainee_id, name_masked, to_char(working_age_from, 'YYYY-MM-DD') AS working_age_from FROM known_trainees WHERE trainee_id = ANY($1::uuid[]) ORDER BY trainee_id",
        [ids],
      )
    ).rows;
  const claims = async (messages: IntegrationEnvelope[]) =>
    (await database.query<{ n: number }>("SELECT count(*)::int AS n FROM inbox WHERE consumer = 'probe.known-trainees' AND message_id = ANY($1::uuid[])", [messages.map((each) => each.eventId)])).rows[0].n;

  it('applies a chunk of registrations, a correction, a voiding and an erasure in the order delivered, claims what it ignores, and a delivery again changes nothing', async () => {
    const [a, b, c, d, e] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const chunk = [
      registered(a, '张*'),
      registered(b, '李*'),
      registered(c, '王*', '2027-03-01'),
      message('TraineeCorrected', { traineeId: a, nameMasked: '赵*', correctedOn: '2026-01-02' }),
      message('TraineeRegistrationVoided', { traineeId: b, voidedOn: '2026-01-02' }),
      message('ActivationCodeIssued', { traineeId: a, codeHash: 'hash', issuedOn: '2026-01-02' }),
      message('PersonalDataErased', { traineeId: c, erasedOn: '2026-01-03' }),
      // An import batch for another service: it needs the chunk so far committed, and is only claimed here.
      message('ImportRowsSubmitted', { traineeId: e, jobId: randomUUID(), batch: 0 }),
      // e's erasure comes before e's registration in this chunk (a registration parked, then retried): e is known, without its name.
      message('PersonalDataErased', { traineeId: e, erasedOn: '2026-01-03' }),
      registered(d, '刘*', '2026-09-01'),
      registered(e, '陈*'),
    ];
    await deliver(chunk);
    const expected = [
      { trainee_id: a, name_masked: '赵*', working_age_from: null },
      { trainee_id: c, name_masked: null, working_age_from: null },
      { trainee_id: d, name_masked: '刘*', working_age_from: '2026-09-01' },
      { trainee_id: e, name_masked: null, working_age_from: null },
    ].sort((x, y) => (x.trainee_id < y.trainee_id ? -1 : 1));
    expect(await known([a, b, c, d, e])).toEqual(expected);
    expect(await claims(chunk)).toBe(chunk.length);
    // Delivered again (a relay that crashed before it deleted them): every message's claim is held.
    await deliver(chunk);
    expect(await known([a, b, c, d, e])).toEqual(expected);
    expect(await claims(chunk)).toBe(chunk.length);
    // Their registrations once more, as dead letters retried: the voided one stays unknown, the erased one nameless.
    await deliver([registered(b, '李*'), registered(c, '王*', '2027-03-01')]);
    expect(await known([a, b, c, d, e])).toEqual(expected);
  });
});
