// TraineeRelations.assertMayReadCaughtUp on a real Postgres, its facts caught up (one process, no source
// ahead of it): a caller not related to the trainee while a fact about the trainee waits as a dead letter of
// the relations' consumer (perhaps the one relating them) is FactsParked (503), as TraineeReplica answers,
// never a final 404; once it is applied, or with none, an unrelated caller is 404.
import { CERTIFICATION_TOPIC, PLACEMENT_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { EventStoreSchema } from '@skills/event-sourcing';
import { MESSAGING_MIGRATIONS, TransportConfig } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, parkDeadLetter, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CatchUp, FactsParked } from '../catch-up';
import { RuntimeConfig } from '../runtime-config';
import { RegisteredService, ServiceRegistry } from '../service-registry';
import { TraineeRelations } from './trainee-relations';
import { TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from './trainee-relations.schema';
import type { Reader } from './may-read';
import { relateAll } from './relating-facts';

const INBOX = 'probe.trainee-relations';

describe('TraineeRelations.assertMayReadCaughtUp: a relating fact parked as a dead letter', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let catchUp: CatchUp;
  let relations: TraineeRelations;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'relations', [EventStoreSchema, ...MESSAGING_MIGRATIONS, TraineeRelationsSchema, TraineeRelationsByCertificates, TraineeRelationsByFacts]);
    database = new Database({ url: testDatabase.url, schema: 'relations' });
    catchUp = new CatchUp({ transport: 'in-process' } as TransportConfig, { catchUpWaitMs: 1000 } as RuntimeConfig, new ServiceRegistry());
    relations = new TraineeRelations(database, catchUp, { inbox: INBOX, relatedWithTheFact: ['TraineeRegistered'] });
  });

  afterAll(async () => {
    await catchUp?.onApplicationShutdown();
    await database?.close();
    await testDatabase?.drop();
  });

  const staffOf = (organisationId: string): Reader => ({ role: 'school_staff', organisationId, traineeId: null });
  /** A school's enrolment of the trainee, as the consumer parks one it could not apply (keyed by the course); its event id. */
  const parkEnrolment = (traineeId: string, providerId: string): Promise<string> => parkDeadLetter(database, INBOX, TRAINING_TOPIC, { type: 'TraineeEnrolled', aggregateId: randomUUID(), payload: { traineeId, enrollmentId: randomUUID(), course: { providerId } } });

  it('answers FactsParked, not 404, to a caller not related while a fact about the trainee waits as a dead letter; 404 once it is applied', async () => {
    const [traineeId, school] = [randomUUID(), randomUUID()];
    const letter = await parkEnrolment(traineeId, school);
    await expect(relations.assertMayReadCaughtUp(staffOf(school), traineeId)).rejects.toBeInstanceOf(FactsParked);
    await database.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2)', [INBOX, letter]);
    await expect(relations.assertMayReadCaughtUp(staffOf(school), traineeId)).rejects.toBeInstanceOf(UnknownEntity);
  });

  it('lets a related caller through whatever letters wait, and answers 404 when the letters are about others', async () => {
    const [traineeId, evaluator] = [randomUUID(), randomUUID()];
    await database.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [traineeId, evaluator]);
    await parkEnrolment(traineeId, randomUUID());
    await expect(relations.assertMayReadCaughtUp(staffOf(evaluator), traineeId)).resolves.toBeUndefined();
    const other = randomUUID();
    await parkEnrolment(randomUUID(), evaluator);
    await expect(relations.assertMayReadCaughtUp(staffOf(evaluator), other)).rejects.toBeInstanceOf(UnknownEntity);
    // A trainee other than the one asked for is answered at once, as before: no letter makes it theirs.
    await expect(relations.assertMayReadCaughtUp({ role: 'trainee', organisationId: null, traineeId: other }, traineeId)).rejects.toBeInstanceOf(UnknownEntity);
  });

  it('finds the letter by the trainee in its payload, in any case, on any relating topic', async () => {
    const traineeId = randomUUID();
    const eventId = await parkDeadLetter(database, INBOX, CERTIFICATION_TOPIC, { type: 'LevelCertified', aggregateId: randomUUID(), payload: { traineeId: traineeId.toUpperCase(), evaluatorId: randomUUID() } });
    await expect(relations.assertMayReadCaughtUp(staffOf(randomUUID()), traineeId)).rejects.toBeInstanceOf(FactsParked);
  });
});

// A void takes a relation back (EmploymentVoided), and the relations' consumer may lag behind it: a
// decision by the voiding organisation's staff waits for the relating facts before it allows, as before it
// refuses, so it is judged on relations that include the void. Lag is simulated with placement's module in
// this process (ServiceRegistry): its outbox holds the void until the relay is woken, which applies it here
// and lets it leave the outbox, as the in-process relay does.
describe('TraineeRelations.assertMayReadCaughtUp: a relation a void not yet applied takes back', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let catchUp: CatchUp;
  let relations: TraineeRelations;
  /** The voids in placement's outbox, applied here when the relay is woken. */
  const lagging: { employerId: string; traineeId: string; employmentId: string; outboxId: string }[] = [];
  let wakes = 0;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'relations', [EventStoreSchema, ...MESSAGING_MIGRATIONS, TraineeRelationsSchema, TraineeRelationsByCertificates, TraineeRelationsByFacts]);
    database = new Database({ url: testDatabase.url, schema: 'relations' });
    const registry = new ServiceRegistry();
    const relay = {
      wake: () => {
        wakes++;
        // The void arrives a moment later, as a consumer that lags applies it.
        setTimeout(() => void deliver(), 50);
      },
    };
    registry.register({ name: 'placement', database, relay } as unknown as RegisteredService);
    catchUp = new CatchUp({ transport: 'in-process' } as TransportConfig, { catchUpWaitMs: 2000 } as RuntimeConfig, registry);
    relations = new TraineeRelations(database, catchUp, { inbox: INBOX, relatedWithTheFact: ['TraineeRegistered'] });
  });

  afterAll(async () => {
    await catchUp?.onApplicationShutdown();
    await database?.close();
    await testDatabase?.drop();
  });

  async function deliver(): Promise<void> {
    for (const voided of lagging.splice(0)) {
      await database.transaction(async (tx) => {
        await relateAll(tx, [{ traineeId: voided.traineeId, organisationId: voided.employerId, by: { kind: 'employment', id: voided.employmentId }, voided: true }]);
        await tx.query('DELETE FROM outbox WHERE id = $1', [voided.outboxId]);
      });
    }
  }

  const staffOf = (organisationId: string): Reader => ({ role: 'employer_staff', organisationId, traineeId: null });

  it("waits for the void that takes the employer's relation back, then refuses 404", async () => {
    const [traineeId, employerId, employmentId] = [randomUUID(), randomUUID(), randomUUID()];
    await database.transaction((tx) => relateAll(tx, [{ traineeId, organisationId: employerId, by: { kind: 'employment', id: employmentId } }]));
    await expect(relations.assertMayReadCaughtUp(staffOf(employerId), traineeId)).resolves.toBeUndefined();
    // The hire is voided: placement has accepted the void, not yet applied here.
    const { rows } = await database.query<{ id: string }>(
      `INSERT INTO outbox (message_id, topic, message_key, envelope) VALUES ($1, $2, $3, '{"type":"EmploymentVoided"}') RETURNING id::text`,
      [randomUUID(), PLACEMENT_TOPIC, employmentId],
    );
    lagging.push({ traineeId, employerId, employmentId, outboxId: rows[0].id });
    // Not yet applied: the relation still stands as far as this service knows...
    expect(await relations.relatedOrganisations(traineeId)).toEqual([employerId]);
    // ...but the decision waits for it, and refuses.
    await expect(relations.assertMayReadCaughtUp(staffOf(employerId), traineeId)).rejects.toBeInstanceOf(UnknownEntity);
    expect(wakes).toBeGreaterThan(0);
    expect(await relations.relatedOrganisations(traineeId)).toEqual([]);
  });

  it('lets the platform admin and the trainee themself through without waiting', async () => {
    const traineeId = randomUUID();
    const { rows } = await database.query<{ id: string }>(
      `INSERT INTO outbox (message_id, topic, message_key, envelope) VALUES ($1, $2, $3, '{"type":"EmploymentVoided"}') RETURNING id::text`,
      [randomUUID(), PLACEMENT_TOPIC, randomUUID()],
    );
    const before = wakes;
    await expect(relations.assertMayReadCaughtUp({ role: 'platform_admin', organisationId: null, traineeId: null }, traineeId)).resolves.toBeUndefined();
    await expect(relations.assertMayReadCaughtUp({ role: 'trainee', organisationId: null, traineeId }, traineeId)).resolves.toBeUndefined();
    expect(wakes).toBe(before);
    await database.query('DELETE FROM outbox WHERE id = $1', [rows[0].id]);
  });
});
