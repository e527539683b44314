// TraineeRelations.assertMayReadCaughtUp on a real Postgres, its facts caught up (one process, no source
// ahead of it): a caller not related to the trainee while a fact about the trainee waits as a dead letter of
// the relations' consumer (perhaps the one relating them) is FactsParked (503), as TraineeReplica answers,
// never a final 404; once it is applied, or with none, an unrelated caller is 404.
import { CERTIFICATION_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { EventStoreSchema } from '@skills/event-sourcing';
import { MESSAGING_MIGRATIONS, TransportConfig } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, parkDeadLetter, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CatchUp, FactsParked } from '../catch-up';
import { RuntimeConfig } from '../runtime-config';
import { ServiceRegistry } from '../service-registry';
import { TraineeRelations } from './trainee-relations';
import { TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from './trainee-relations.schema';
import type { Reader } from './may-read';

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
