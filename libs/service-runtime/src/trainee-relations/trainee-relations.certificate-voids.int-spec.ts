// An evaluator is related to a worker by its certificates alone: a certificate recorded in error and voided
// (CertificateVoided) takes back the relation it alone made, whatever order a worker's facts come in (a
// letter retried), while a relation other facts made too, or made before recordings were kept, stays.
import { CERTIFICATION_TOPIC, currentSchemaVersion, IntegrationEnvelope, TRAINING_TOPIC } from '@skills/contracts';
import { EventStoreSchema } from '@skills/event-sourcing';
import { DeadLetters, InProcessTransport, MESSAGING_MIGRATIONS, MessageConsumer } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeRelationsConsumer } from './trainee-relations.consumer';
import { TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from './trainee-relations.schema';

const envelope = (type: string, payload: Record<string, unknown>): IntegrationEnvelope =>
  ({
    eventId: randomUUID(),
    type,
    schemaVersion: currentSchemaVersion(type),
    aggregateId: String(payload.traineeId),
    aggregateVersion: 1,
    occurredAt: '2026-01-01',
    recordedAt: new Date().toISOString(),
    correlationId: 'relations-voids-probe',
    payload,
  }) as IntegrationEnvelope;

let serial = 0;
const newNumber = () => `S0001434302002151${String(++serial).padStart(5, '0')}`;

describe('TraineeRelationsConsumer: a certificate voided takes back the relation it alone made', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transport: InProcessTransport;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'relations', [EventStoreSchema, ...MESSAGING_MIGRATIONS, TraineeRelationsSchema, TraineeRelationsByCertificates, TraineeRelationsByFacts]);
    database = new Database({ url: testDatabase.url, schema: 'relations' });
    transport = new InProcessTransport();
    const relations = new TraineeRelationsConsumer(new MessageConsumer(database, new DeadLetters(database, transport)), { inbox: 'probe.trainee-relations' });
    transport.addHandler(TRAINING_TOPIC, (message: IntegrationEnvelope) => relations.onTrainingEvent(message), true);
    transport.addHandler(CERTIFICATION_TOPIC, (message: IntegrationEnvelope) => relations.onCertificationEvent(message), true);
    transport.listen(() => undefined);
  });

  // Every message applied: none parked, which would leave a relation untouched for the wrong reason.
  afterEach(async () => expect((await database.query('SELECT error FROM dead_letters')).rows).toEqual([]));

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const certified = (traineeId: string, evaluatorId: string, certificateNumber: string, recording?: number) =>
    envelope('LevelCertified', { certificateNumber, traineeId, evaluatorId, occupationCode: '6-18-02-04', level: 'junior', certifiedOn: '2025-05-06', ...(recording ? { recording } : {}) });
  /** `evaluatorHoldsOthers`: as certification-service counts the evaluator's other certificates of the worker (all of them, kept here or not). */
  const voided = (traineeId: string, evaluatorId: string, certificateNumber: string, recording?: number, evaluatorHoldsOthers = false) =>
    envelope('CertificateVoided', { certificateNumber, traineeId, evaluatorId, evaluatorHoldsOthers, occupationCode: '6-18-02-04', voidedLevel: 'junior', levelAfter: null, voidedOn: '2025-06-01', ...(recording ? { recording } : {}) });
  const enrolled = (traineeId: string, providerId: string) =>
    envelope('TraineeEnrolled', { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId, course: { title: '焊工', providerId, providerCreditCode: 'credit', occupationCode: '6-18-02-04', occupationEdition: '2019', kind: 'skill' } });
  /** Delivered as one chunk, in this order (training's messages are keyed by their course in truth; here all go in one chunk anyway). */
  const deliver = (...messages: IntegrationEnvelope[]) =>
    transport.publish(messages.map((message) => ({ topic: message.type === 'TraineeEnrolled' ? TRAINING_TOPIC : CERTIFICATION_TOPIC, key: String(message.payload && (message.payload as { traineeId: string }).traineeId), envelope: message })));
  const related = async (traineeId: string, organisationId: string) =>
    (await database.query('SELECT 1 FROM trainee_relations WHERE trainee_id = $1 AND organisation_id = $2', [traineeId, organisationId])).rowCount === 1;
  const people = () => [randomUUID(), randomUUID()];

  it('takes the relation back once its only certificate is voided, delivered apart or in one chunk', async () => {
    const [worker, evaluator] = people();
    const number = newNumber();
    await deliver(certified(worker, evaluator, number));
    expect(await related(worker, evaluator)).toBe(true);
    await deliver(voided(worker, evaluator, number));
    expect(await related(worker, evaluator)).toBe(false);

    const [other, otherEvaluator] = people();
    const otherNumber = newNumber();
    await deliver(certified(other, otherEvaluator, otherNumber), voided(other, otherEvaluator, otherNumber));
    expect(await related(other, otherEvaluator)).toBe(false);
  });

  it('keeps the relation while another certificate of the evaluator stands', async () => {
    const [worker, evaluator] = people();
    const [junior, intermediate] = [newNumber(), newNumber()];
    await deliver(certified(worker, evaluator, junior), certified(worker, evaluator, intermediate));
    await deliver(voided(worker, evaluator, intermediate));
    expect(await related(worker, evaluator)).toBe(true);
    await deliver(voided(worker, evaluator, junior));
    expect(await related(worker, evaluator)).toBe(false);
  });

  it('keeps a relation another kind of fact made too, or made before certificates were kept, whatever is voided', async () => {
    // One id as provider and evaluator (never so in truth: each organisation has one kind), to see the rule alone.
    const [worker, organisation] = people();
    const number = newNumber();
    await deliver(certified(worker, organisation, number), enrolled(worker, organisation));
    await deliver(voided(worker, organisation, number));
    expect(await related(worker, organisation)).toBe(true);

    const [enrolledFirst, school] = people();
    const schoolNumber = newNumber();
    await deliver(enrolled(enrolledFirst, school), certified(enrolledFirst, school, schoolNumber));
    await deliver(voided(enrolledFirst, school, schoolNumber));
    expect(await related(enrolledFirst, school)).toBe(true);

    // A relation kept before this build, from a certificate whose recording nobody kept: certification-service
    // counts that one (evaluatorHoldsOthers), and the relation stays.
    const [certifiedBefore, evaluator] = people();
    await database.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [certifiedBefore, evaluator]);
    const laterNumber = newNumber();
    await deliver(certified(certifiedBefore, evaluator, laterNumber));
    await deliver(voided(certifiedBefore, evaluator, laterNumber, undefined, true));
    expect(await related(certifiedBefore, evaluator)).toBe(true);
  });

  it('takes back a relation kept before this build when its certificate, the evaluator’s last of the worker, is voided', async () => {
    // The certificate was recorded before recordings were kept here: its relation alone, no recording.
    const [worker, evaluator] = people();
    await database.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [worker, evaluator]);
    await deliver(voided(worker, evaluator, newNumber()));
    expect(await related(worker, evaluator)).toBe(false);
  });

  it('relates nobody by a LevelCertified delivered after its void, or of a recording of which a later one is kept', async () => {
    // Its LevelCertified parked and retried after the void: the recording stays voided.
    const [worker, evaluator] = people();
    const number = newNumber();
    await deliver(voided(worker, evaluator, number));
    await deliver(certified(worker, evaluator, number));
    expect(await related(worker, evaluator)).toBe(false);

    // Recording 1, then (its void waiting still, parked) recording 2 of the number for the same worker: once
    // recording 2 is voided, recording 1 relates nobody either, the number having been recorded again.
    const [again, againEvaluator] = people();
    const recordedAgain = newNumber();
    await deliver(certified(again, againEvaluator, recordedAgain));
    await deliver(certified(again, againEvaluator, recordedAgain, 2));
    expect(await related(again, againEvaluator)).toBe(true);
    await deliver(voided(again, againEvaluator, recordedAgain, 2));
    expect(await related(again, againEvaluator)).toBe(false);

    // Recording 2 for another worker first; recording 1, whose void waits still, relates nobody.
    const [firstHolder, secondHolder] = people();
    const shared = newNumber();
    await deliver(certified(secondHolder, evaluator, shared, 2));
    await deliver(certified(firstHolder, evaluator, shared));
    expect(await related(firstHolder, evaluator)).toBe(false);
    expect(await related(secondHolder, evaluator)).toBe(true);
    await deliver(voided(firstHolder, evaluator, shared));
    expect(await related(firstHolder, evaluator)).toBe(false);
    expect(await related(secondHolder, evaluator)).toBe(true);
  });
});
