// A provider is related to a trainee by an enrolment and an employer by a hire: an enrolment or a hire
// recorded in error and voided (EnrollmentVoided, EmploymentVoided) takes back the relation it made, unless
// another fact relates the pair still (the registration, another enrolment or hire, a certificate), whatever
// order the facts come in (a letter retried), while a relation made before facts were kept stays.
import { CERTIFICATION_TOPIC, currentSchemaVersion, IntegrationEnvelope, PLACEMENT_TOPIC, TRAINEE_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { EventStoreSchema } from '@skills/event-sourcing';
import { DeadLetters, InProcessTransport, MESSAGING_MIGRATIONS, MessageConsumer } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { relateAll, relateStatement, TraineeRelation, TraineeRelationVoided } from './relating-facts';
import { TraineeRelationsConsumer } from './trainee-relations.consumer';
import { TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from './trainee-relations.schema';

const RELATIONS_MIGRATIONS = [EventStoreSchema, ...MESSAGING_MIGRATIONS, TraineeRelationsSchema, TraineeRelationsByCertificates, TraineeRelationsByFacts];

const TOPIC_OF: Record<string, string> = {
  TraineeRegistered: TRAINEE_TOPIC,
  TraineeEnrolled: TRAINING_TOPIC,
  EnrollmentVoided: TRAINING_TOPIC,
  TraineeHired: PLACEMENT_TOPIC,
  EmploymentVoided: PLACEMENT_TOPIC,
  LevelCertified: CERTIFICATION_TOPIC,
  CertificateVoided: CERTIFICATION_TOPIC,
};

const envelope = (type: string, payload: Record<string, unknown>): IntegrationEnvelope =>
  ({
    eventId: randomUUID(),
    type,
    schemaVersion: currentSchemaVersion(type),
    aggregateId: String(payload.traineeId),
    aggregateVersion: 1,
    occurredAt: '2026-01-01',
    recordedAt: new Date().toISOString(),
    correlationId: 'relations-fact-voids-probe',
    payload,
  }) as IntegrationEnvelope;

let serial = 0;
const newNumber = () => `S0001434302003151${String(++serial).padStart(5, '0')}`;

describe('TraineeRelationsConsumer: an enrolment or a hire voided takes back the relation it alone made', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let transport: InProcessTransport;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await migrate(testDatabase.url, 'relations', RELATIONS_MIGRATIONS);
    database = new Database({ url: testDatabase.url, schema: 'relations' });
    transport = new InProcessTransport();
    const relations = new TraineeRelationsConsumer(new MessageConsumer(database, new DeadLetters(database, transport)), { inbox: 'probe.trainee-relations' });
    transport.addHandler(TRAINEE_TOPIC, (message: IntegrationEnvelope) => relations.onTraineeEvent(message), true);
    transport.addHandler(TRAINING_TOPIC, (message: IntegrationEnvelope) => relations.onTrainingEvent(message), true);
    transport.addHandler(PLACEMENT_TOPIC, (message: IntegrationEnvelope) => relations.onPlacementEvent(message), true);
    transport.addHandler(CERTIFICATION_TOPIC, (message: IntegrationEnvelope) => relations.onCertificationEvent(message), true);
    transport.listen(() => undefined);
  });

  // Every message applied: none parked, which would leave a relation untouched for the wrong reason.
  afterEach(async () => expect((await database.query('SELECT error FROM dead_letters')).rows).toEqual([]));

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const course = (providerId: string) => ({ title: '焊工', providerId, providerCreditCode: 'credit', occupationCode: '6-18-02-04', occupationEdition: '2019', kind: 'skill' });
  const enrolment = (traineeId: string, providerId: string) => {
    const facts = { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId, course: course(providerId) };
    return {
      enrolled: envelope('TraineeEnrolled', { ...facts, enrolledOn: '2025-03-01' }),
      voided: envelope('EnrollmentVoided', { ...facts, assessmentIds: [], voidedOn: '2025-04-01' }),
    };
  };
  const employment = (traineeId: string, employerId: string) => {
    const facts = { employmentId: randomUUID(), placementId: randomUUID(), traineeId, employerId, employerCreditCode: 'credit', employerIndustryCode: 'C', industryCode: 'C', occupationCode: '6-18-02-04', regionCode: '430000', startDate: '2025-03-01' };
    return {
      hired: envelope('TraineeHired', { ...facts, monthlyWage: 5000 }),
      voided: envelope('EmploymentVoided', { ...facts, voidedOn: '2025-04-01' }),
    };
  };
  const registered = (traineeId: string, registeredBy: string) => envelope('TraineeRegistered', { traineeId, registeredBy, nameMasked: '李*', registeredOn: '2025-01-01', workingAgeFrom: null });
  const certified = (traineeId: string, evaluatorId: string, certificateNumber: string) =>
    envelope('LevelCertified', { certificateNumber, traineeId, evaluatorId, occupationCode: '6-18-02-04', level: 'junior', certifiedOn: '2025-05-06' });
  const certificateVoided = (traineeId: string, evaluatorId: string, certificateNumber: string) =>
    envelope('CertificateVoided', { certificateNumber, traineeId, evaluatorId, occupationCode: '6-18-02-04', voidedLevel: 'junior', levelAfter: null, voidedOn: '2025-06-01', evaluatorHoldsOthers: false });
  /** Delivered as one chunk, in this order. */
  const deliver = (...messages: IntegrationEnvelope[]) =>
    transport.publish(messages.map((message) => ({ topic: TOPIC_OF[message.type], key: String((message.payload as { traineeId: string }).traineeId), envelope: message })));
  const related = async (traineeId: string, organisationId: string) =>
    (await database.query('SELECT 1 FROM trainee_relations WHERE trainee_id = $1 AND organisation_id = $2', [traineeId, organisationId])).rowCount === 1;
  const people = () => [randomUUID(), randomUUID()];

  it('takes the relation back once its only enrolment or hire is voided, delivered apart or in one chunk', async () => {
    const [learner, school] = people();
    const wrongCourse = enrolment(learner, school);
    await deliver(wrongCourse.enrolled);
    expect(await related(learner, school)).toBe(true);
    await deliver(wrongCourse.voided);
    expect(await related(learner, school)).toBe(false);

    const [worker, employer] = people();
    const wrongHire = employment(worker, employer);
    await deliver(wrongHire.hired);
    expect(await related(worker, employer)).toBe(true);
    await deliver(wrongHire.voided);
    expect(await related(worker, employer)).toBe(false);

    const [other, otherEmployer] = people();
    const [otherHire, otherSchool] = [employment(other, otherEmployer), randomUUID()];
    const otherCourse = enrolment(other, otherSchool);
    await deliver(otherCourse.enrolled, otherHire.hired, otherCourse.voided, otherHire.voided);
    expect(await related(other, otherEmployer)).toBe(false);
    expect(await related(other, otherSchool)).toBe(false);
  });

  it('keeps the relation the organisation’s registration of the person makes, by the message or by its own command', async () => {
    const [learner, school] = people();
    const course = enrolment(learner, school);
    await deliver(registered(learner, school), course.enrolled);
    await deliver(course.voided);
    expect(await related(learner, school)).toBe(true);

    // trainee-service relates its registrations in the command's transaction (relateStatement), not by the message.
    const [worker, employer] = people();
    const { text, values } = relateStatement([{ traineeId: worker, organisationId: employer }]);
    await database.query(text, values);
    const hire = employment(worker, employer);
    await deliver(hire.hired);
    await deliver(hire.voided);
    expect(await related(worker, employer)).toBe(true);
  });

  it('keeps the relation while another enrolment at the provider or hire by the employer stands, and takes it back with the last', async () => {
    const [learner, school] = people();
    const [first, second] = [enrolment(learner, school), enrolment(learner, school)];
    await deliver(first.enrolled, second.enrolled);
    await deliver(first.voided);
    expect(await related(learner, school)).toBe(true);
    await deliver(second.voided);
    expect(await related(learner, school)).toBe(false);

    const [worker, employer] = people();
    const [wrong, right] = [employment(worker, employer), employment(worker, employer)];
    await deliver(wrong.hired);
    // The void and the right hire in one chunk, in either order.
    await deliver(wrong.voided, right.hired);
    expect(await related(worker, employer)).toBe(true);
    await deliver(right.voided);
    expect(await related(worker, employer)).toBe(false);
  });

  it('keeps a relation a standing certificate makes too, then resting on it alone: its void takes it back', async () => {
    // One id as provider and evaluator (never so in truth: each organisation has one kind), to see the rule alone.
    const [worker, organisation] = people();
    const number = newNumber();
    const course = enrolment(worker, organisation);
    await deliver(course.enrolled, certified(worker, organisation, number));
    await deliver(course.voided);
    expect(await related(worker, organisation)).toBe(true);
    await deliver(certificateVoided(worker, organisation, number));
    expect(await related(worker, organisation)).toBe(false);

    // Certified first, hired, the hire voided: the certificate's void takes the relation back still.
    const [certifiedFirst, employer] = people();
    const employerNumber = newNumber();
    const hire = employment(certifiedFirst, employer);
    await deliver(certified(certifiedFirst, employer, employerNumber));
    await deliver(hire.hired);
    await deliver(hire.voided);
    expect(await related(certifiedFirst, employer)).toBe(true);
    await deliver(certificateVoided(certifiedFirst, employer, employerNumber));
    expect(await related(certifiedFirst, employer)).toBe(false);
  });

  it('relates nobody by an enrolment or hire delivered after its void, and leaves the pair’s other facts be', async () => {
    const [learner, school] = people();
    const course = enrolment(learner, school);
    await deliver(course.voided);
    await deliver(course.enrolled);
    expect(await related(learner, school)).toBe(false);

    const [worker, employer] = people();
    const hire = employment(worker, employer);
    await deliver(hire.voided, hire.hired);
    expect(await related(worker, employer)).toBe(false);

    // Registered by the employer: the late hire neither relates it more nor takes it back.
    const [registeredWorker, registeringEmployer] = people();
    const lateHire = employment(registeredWorker, registeringEmployer);
    await deliver(registered(registeredWorker, registeringEmployer));
    await deliver(lateHire.voided);
    await deliver(lateHire.hired);
    expect(await related(registeredWorker, registeringEmployer)).toBe(true);
  });

  it('relates nobody by a retried enrolment applied while its void, come first, commits: the fact waits for the void and keeps nothing', async () => {
    const [learner, school] = [randomUUID(), randomUUID()];
    const enrolled: TraineeRelation = { traineeId: learner, organisationId: school, by: { kind: 'enrollment', id: randomUUID() } };
    const voiding = await database.pool.connect();
    const retrying = await database.pool.connect();
    try {
      await voiding.query('BEGIN');
      await relateAll(voiding, [{ ...enrolled, by: enrolled.by!, voided: true }]);
      // The retried fact, on its own connection, meets the void's tombstone uncommitted and waits for it.
      await retrying.query('BEGIN');
      const retried = relateAll(retrying, [enrolled]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await voiding.query('COMMIT');
      await retried;
      await retrying.query('COMMIT');
    } finally {
      voiding.release();
      retrying.release();
    }
    expect(await related(learner, school)).toBe(false);
  });

  it('changes nothing by a message delivered again', async () => {
    const [learner, school] = people();
    const [wrong, right] = [enrolment(learner, school), enrolment(learner, school)];
    await deliver(wrong.enrolled);
    await deliver(wrong.voided);
    await deliver(right.enrolled);
    await deliver(wrong.voided, wrong.enrolled);
    expect(await related(learner, school)).toBe(true);
    await deliver(right.voided);
    await deliver(right.enrolled, wrong.enrolled);
    expect(await related(learner, school)).toBe(false);
  });

  it('keeps a relation made before facts were kept, whatever enrolment or hire of the pair is voided', async () => {
    // A relation kept before this build: the registration, enrolment or hire that made it was not kept.
    const [learner, school] = people();
    await database.query('INSERT INTO trainee_relations (trainee_id, organisation_id, by_certificates_alone) VALUES ($1, $2, false)', [learner, school]);
    const course = enrolment(learner, school);
    await deliver(course.enrolled);
    await deliver(course.voided);
    expect(await related(learner, school)).toBe(true);

    const [worker, employer] = people();
    await database.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [worker, employer]);
    const hire = employment(worker, employer);
    await deliver(hire.voided);
    expect(await related(worker, employer)).toBe(true);
  });

  it('relates a chunk of enrolments and hires without a void in one statement, as an import needs', async () => {
    const [learner, school, employer] = [randomUUID(), randomUUID(), randomUUID()];
    const enrolments = Array.from({ length: 50 }, (): TraineeRelation => ({ traineeId: learner, organisationId: school, by: { kind: 'enrollment', id: randomUUID() } }));
    const hired = { kind: 'employment', id: randomUUID() } as const;
    const hire: TraineeRelation = { traineeId: learner, organisationId: employer, by: hired };
    expect(await statementsOf([...enrolments, hire, { traineeId: learner, organisationId: school }])).toBe(1);
    expect(await related(learner, employer)).toBe(true);
    // A void costs more, in the rare chunk that holds one.
    expect(await statementsOf([{ ...hire, by: hired, voided: true }])).toBeGreaterThan(1);
    expect(await related(learner, employer)).toBe(false);
  });

  /** How many statements relateAll sends for these relations, on a connection of its own. */
  const statementsOf = async (relations: Array<TraineeRelation | TraineeRelationVoided>) => {
    const client = await database.pool.connect();
    let statements = 0;
    const counted = new Proxy(client, {
      get: (target, property) => (property === 'query' ? (...args: Parameters<typeof client.query>) => (statements++, target.query(...args)) : Reflect.get(target, property)),
    });
    try {
      await relateAll(counted, relations);
    } finally {
      client.release();
    }
    return statements;
  };

  it('marks the relations of before: those resting on certificates alone have their facts kept, no other', async () => {
    const before = await migrateBefore(testDatabase.url);
    try {
      const [byCertificates, byOthers, unknown, organisation] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await before.query(
        `INSERT INTO trainee_relations (trainee_id, organisation_id, by_certificates_alone) VALUES ($1, $4, true), ($2, $4, false), ($3, $4, NULL)`,
        [byCertificates, byOthers, unknown, organisation],
      );
      await migrate(testDatabase.url, 'relations_before', RELATIONS_MIGRATIONS);
      const { rows } = await before.query<{ trainee_id: string; facts_kept: boolean }>('SELECT trainee_id, facts_kept FROM trainee_relations');
      expect(Object.fromEntries(rows.map((row) => [row.trainee_id, row.facts_kept]))).toEqual({ [byCertificates]: true, [byOthers]: false, [unknown]: false });
    } finally {
      await before.close();
    }
  });
});

/** A schema migrated by the build before this one. */
async function migrateBefore(url: string): Promise<Database> {
  await migrate(url, 'relations_before', RELATIONS_MIGRATIONS.filter((migration) => migration !== TraineeRelationsByFacts));
  return new Database({ url, schema: 'relations_before' });
}
