// A service that does not know the facts of its relations made before facts were kept (certification-service:
// facts_kept false) keeps them on a hire's or enrolment's void; trainee-service, which knows every fact, announces
// each pair a void leaves related by nothing (TraineeUnrelated), and the others take such a relation back on it:
// whichever of the announcement, the void and a later fact relating the pair again comes first, once per message.
import { CERTIFICATION_TOPIC, currentSchemaVersion, IntegrationEnvelope, PLACEMENT_TOPIC, TRAINEE_TOPIC, TRAINING_TOPIC } from '@skills/contracts';
import { EventStoreSchema } from '@skills/event-sourcing';
import { DeadLetters, InProcessTransport, MESSAGING_MIGRATIONS, MessageConsumer } from '@skills/messaging';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import * as relatingFacts from './relating-facts';
import { TraineeRelationsConsumer } from './trainee-relations.consumer';
import { TraineeRelationsConsumerOptions } from './trainee-relations.options';
import { TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from './trainee-relations.schema';

const RELATIONS_MIGRATIONS = [EventStoreSchema, ...MESSAGING_MIGRATIONS, TraineeRelationsSchema, TraineeRelationsByCertificates, TraineeRelationsByFacts];

const TOPIC_OF: Record<string, string> = {
  TraineeRegistered: TRAINEE_TOPIC,
  TraineeUnrelated: TRAINEE_TOPIC,
  TraineeEnrolled: TRAINING_TOPIC,
  EnrollmentVoided: TRAINING_TOPIC,
  TraineeHired: PLACEMENT_TOPIC,
  EmploymentVoided: PLACEMENT_TOPIC,
  LevelCertified: CERTIFICATION_TOPIC,
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
    correlationId: 'relations-unrelated-probe',
    payload,
  }) as IntegrationEnvelope;

/** A service's relations, in a schema of its own, fed by its own bus. */
interface Side {
  database: Database;
  deliver(...messages: IntegrationEnvelope[]): Promise<void>;
  related(traineeId: string, organisationId: string): Promise<boolean>;
}

describe('TraineeUnrelated: a relation made before facts were kept goes with the void trainee-service says left it related by nothing', () => {
  let testDatabase: TestDatabase;
  let trainee: Side;
  let certification: Side;

  const side = async (schema: string, options: Partial<TraineeRelationsConsumerOptions>): Promise<Side> => {
    await migrate(testDatabase.url, schema, RELATIONS_MIGRATIONS);
    const database = new Database({ url: testDatabase.url, schema });
    const transport = new InProcessTransport();
    const relations = new TraineeRelationsConsumer(new MessageConsumer(database, new DeadLetters(database, transport)), { inbox: `${schema}.trainee-relations`, ...options }, database);
    transport.addHandler(TRAINEE_TOPIC, (message: IntegrationEnvelope) => relations.onTraineeEvent(message), true);
    transport.addHandler(TRAINING_TOPIC, (message: IntegrationEnvelope) => relations.onTrainingEvent(message), true);
    transport.addHandler(PLACEMENT_TOPIC, (message: IntegrationEnvelope) => relations.onPlacementEvent(message), true);
    transport.addHandler(CERTIFICATION_TOPIC, (message: IntegrationEnvelope) => relations.onCertificationEvent(message), true);
    transport.listen(() => undefined);
    return {
      database,
      /** Delivered as one chunk, in this order. */
      deliver: (...messages) => transport.publish(messages.map((message) => ({ topic: TOPIC_OF[message.type], key: String((message.payload as { traineeId: string }).traineeId), envelope: message }))),
      related: async (traineeId, organisationId) =>
        (await database.query('SELECT 1 FROM trainee_relations WHERE trainee_id = $1 AND organisation_id = $2', [traineeId, organisationId])).rowCount === 1,
    };
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    trainee = await side('trainee_side', { relatedWithTheFact: ['TraineeRegistered'], announceUnrelated: true });
    certification = await side('certification_side', {});
  });

  // Every message applied: none parked, which would leave a relation untouched for the wrong reason.
  afterEach(async () => {
    for (const { database } of [trainee, certification]) expect((await database.query('SELECT error FROM dead_letters')).rows).toEqual([]);
  });

  afterAll(async () => {
    await trainee?.database.close();
    await certification?.database.close();
    await testDatabase?.drop();
  });

  const employment = (traineeId: string, employerId: string) => {
    const facts = { employmentId: randomUUID(), placementId: randomUUID(), traineeId, employerId, employerCreditCode: 'credit', employerIndustryCode: 'C', industryCode: 'C', occupationCode: '6-18-02-04', regionCode: '430000', startDate: '2025-03-01' };
    return {
      id: facts.employmentId,
      hired: envelope('TraineeHired', { ...facts, monthlyWage: 5000 }),
      voided: envelope('EmploymentVoided', { ...facts, voidedOn: '2025-04-01' }),
    };
  };
  const enrolment = (traineeId: string, providerId: string) => {
    const course = { title: '焊工', providerId, providerCreditCode: 'credit', occupationCode: '6-18-02-04', occupationEdition: '2019', kind: 'skill' };
    const facts = { enrollmentId: randomUUID(), courseId: randomUUID(), traineeId, course };
    return {
      id: facts.enrollmentId,
      enrolled: envelope('TraineeEnrolled', { ...facts, enrolledOn: '2025-03-01' }),
      voided: envelope('EnrollmentVoided', { ...facts, assessmentIds: [], voidedOn: '2025-04-01' }),
    };
  };
  const unrelated = (traineeId: string, organisationId: string, voidedFacts: Array<{ kind: 'enrollment' | 'employment'; id: string }>) =>
    envelope('TraineeUnrelated', { traineeId, organisationId, voidedFacts });
  /** A relation kept before facts were kept: the fact that made it is unknown here (facts_kept false). */
  const relatedBefore = (at: Side, traineeId: string, organisationId: string) =>
    at.database.query('INSERT INTO trainee_relations (trainee_id, organisation_id) VALUES ($1, $2)', [traineeId, organisationId]);
  /** trainee-service's announcements about the trainee, as its outbox holds them. */
  const announced = async (traineeId: string) =>
    (
      await trainee.database.query<{ topic: string; message_key: string; envelope: IntegrationEnvelope }>(
        `SELECT topic, message_key, envelope FROM outbox WHERE envelope->>'type' = 'TraineeUnrelated' AND envelope->'payload'->>'traineeId' = $1`,
        [traineeId],
      )
    ).rows;
  const people = () => [randomUUID(), randomUUID()];

  it('trainee-service announces the pair a void takes back, keyed by the trainee, once; not a pair still related', async () => {
    const [worker, employer] = people();
    const wrongHire = employment(worker, employer);
    await trainee.deliver(wrongHire.hired);
    await trainee.deliver(wrongHire.voided);
    expect(await trainee.related(worker, employer)).toBe(false);
    const [announcement, ...more] = await announced(worker);
    expect(more).toEqual([]);
    expect(announcement).toMatchObject({ topic: TRAINEE_TOPIC, message_key: worker });
    expect(announcement.envelope).toMatchObject({ type: 'TraineeUnrelated', aggregateId: worker, causationId: wrongHire.voided.eventId, payload: { traineeId: worker, organisationId: employer, voidedFacts: [{ kind: 'employment', id: wrongHire.id }] } });
    // The void delivered again, alone or with another copy: nothing more.
    await trainee.deliver(wrongHire.voided);
    await trainee.deliver({ ...wrongHire.voided, eventId: randomUUID() });
    expect(await announced(worker)).toHaveLength(1);

    // An enrolment voided while another stands: the pair is related still, nothing announced.
    const [learner, school] = people();
    const [wrong, right] = [enrolment(learner, school), enrolment(learner, school)];
    await trainee.deliver(wrong.enrolled, right.enrolled);
    await trainee.deliver(wrong.voided);
    expect(await trainee.related(learner, school)).toBe(true);
    expect(await announced(learner)).toEqual([]);
    // The last voided: the pair goes, both named.
    await trainee.deliver(right.voided);
    const [{ envelope: last }] = await announced(learner);
    expect((last.payload as { voidedFacts: unknown[] }).voidedFacts).toEqual(expect.arrayContaining([{ kind: 'enrollment', id: wrong.id }, { kind: 'enrollment', id: right.id }]));
    // Its own announcement coming back is not applied there (no inbox row for it).
    await trainee.deliver(last);
    expect((await trainee.database.query('SELECT 1 FROM inbox WHERE message_id = $1', [last.eventId])).rowCount).toBe(0);
  });

  it('certification-service takes back, on the announcement trainee-service sent, the relation of before its void left standing', async () => {
    const [worker, employer] = people();
    const wrongHire = employment(worker, employer);
    // Related in both before facts were kept; trainee-service learned the hire from its log.
    await relatedBefore(certification, worker, employer);
    await trainee.database.query('INSERT INTO trainee_relations (trainee_id, organisation_id, facts_kept) VALUES ($1, $2, true)', [worker, employer]);
    await trainee.database.query(`INSERT INTO trainee_relating_facts (trainee_id, organisation_id, kind, fact_id) VALUES ($1, $2, 'employment', $3)`, [worker, employer, wrongHire.id]);

    await trainee.deliver(wrongHire.voided);
    await certification.deliver(wrongHire.voided);
    // As before: the void alone does not tell certification-service that nothing else relates them.
    expect(await certification.related(worker, employer)).toBe(true);
    const [{ envelope: announcement }] = await announced(worker);
    await certification.deliver(announcement);
    expect(await certification.related(worker, employer)).toBe(false);
  });

  it('leaves a pair whose facts it knows to its own judgement, and one a standing fact or certificate kept here relates; not another of before', async () => {
    // Facts kept: registered by the employer (its command's statement), the hire voided: related still, whatever the announcement says.
    const [registered, employer] = people();
    const { text, values } = relatingFacts.relateStatement([{ traineeId: registered, organisationId: employer }]);
    await certification.database.query(text, values);
    await certification.deliver(unrelated(registered, employer, [{ kind: 'employment', id: randomUUID() }]));
    expect(await certification.related(registered, employer)).toBe(true);

    // Of before, certified here since by the same organisation (one id as employer and evaluator, to see the rule alone).
    const [certified, organisation] = people();
    await relatedBefore(certification, certified, organisation);
    await certification.deliver(
      envelope('LevelCertified', { certificateNumber: 'S000143430200315199001', traineeId: certified, evaluatorId: organisation, occupationCode: '6-18-02-04', level: 'junior', certifiedOn: '2025-05-06' }),
    );
    // Beside them in the chunk, a relation of before nothing kept here relates: it goes.
    const [unrelatedWorker, formerEmployer] = people();
    await relatedBefore(certification, unrelatedWorker, formerEmployer);
    await certification.deliver(unrelated(certified, organisation, [{ kind: 'employment', id: randomUUID() }]), unrelated(unrelatedWorker, formerEmployer, [{ kind: 'employment', id: randomUUID() }]));
    expect(await certification.related(certified, organisation)).toBe(true);
    expect(await certification.related(unrelatedWorker, formerEmployer)).toBe(false);
  });

  it('takes the relation back whichever comes first, the announcement or the voids it names, and a fact it names delivered late relates nobody', async () => {
    // Of before, then hired again since (a fact kept here), both hires voided; the announcement comes before the second void.
    const [worker, employer] = people();
    const [before, since] = [employment(worker, employer), employment(worker, employer)];
    await relatedBefore(certification, worker, employer);
    await certification.deliver(since.hired);
    await certification.deliver(before.voided);
    await certification.deliver(unrelated(worker, employer, [{ kind: 'employment', id: before.id }, { kind: 'employment', id: since.id }]));
    expect(await certification.related(worker, employer)).toBe(false);
    await certification.deliver(since.voided);
    await certification.deliver(since.hired);
    expect(await certification.related(worker, employer)).toBe(false);
  });

  it('relates the pair again by a hire after the void, whichever of the hire and the announcement comes first', async () => {
    // The new hire first: the announcement finds it standing and leaves the relation.
    const [worker, employer] = people();
    const [wrong, again] = [employment(worker, employer), employment(worker, employer)];
    await relatedBefore(certification, worker, employer);
    await certification.deliver(wrong.voided);
    await certification.deliver(again.hired);
    await certification.deliver(unrelated(worker, employer, [{ kind: 'employment', id: wrong.id }]));
    expect(await certification.related(worker, employer)).toBe(true);

    // The announcement first: the relation goes, and the new hire relates them again, its facts kept now.
    const [other, otherEmployer] = people();
    const [otherWrong, otherAgain] = [employment(other, otherEmployer), employment(other, otherEmployer)];
    await relatedBefore(certification, other, otherEmployer);
    await certification.deliver(unrelated(other, otherEmployer, [{ kind: 'employment', id: otherWrong.id }]));
    expect(await certification.related(other, otherEmployer)).toBe(false);
    await certification.deliver(otherAgain.hired);
    await certification.deliver(otherWrong.voided);
    expect(await certification.related(other, otherEmployer)).toBe(true);
    // Its facts known from then on: its own void takes it back with no announcement.
    await certification.deliver(otherAgain.voided);
    expect(await certification.related(other, otherEmployer)).toBe(false);
  });

  it('keeps the relation a new hire committing meanwhile makes: the announcement waits for it, then sees it', async () => {
    const [worker, employer] = people();
    await relatedBefore(certification, worker, employer);
    const again: relatingFacts.TraineeRelation = { traineeId: worker, organisationId: employer, by: { kind: 'employment', id: randomUUID() } };
    const hiring = await certification.database.pool.connect();
    const unrelating = await certification.database.pool.connect();
    try {
      await hiring.query('BEGIN');
      await relatingFacts.relateAll(hiring, [again]);
      await unrelating.query('BEGIN');
      const takingBack = relatingFacts.takeBackUnrelated(unrelating, [{ traineeId: worker, organisationId: employer, voidedFacts: [{ kind: 'employment', id: randomUUID() }] }]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await hiring.query('COMMIT');
      await takingBack;
      await unrelating.query('COMMIT');
    } finally {
      hiring.release();
      unrelating.release();
    }
    expect(await certification.related(worker, employer)).toBe(true);
  });

  it('takes the relation back once: an announcement delivered again changes nothing after a hire related the pair again', async () => {
    const [worker, employer] = people();
    const [wrong, again] = [employment(worker, employer), employment(worker, employer)];
    await relatedBefore(certification, worker, employer);
    const announcement = unrelated(worker, employer, [{ kind: 'employment', id: wrong.id }]);
    await certification.deliver(announcement);
    expect(await certification.related(worker, employer)).toBe(false);
    await certification.deliver(again.hired);
    // The same message again (its inbox claim), and a copy of it under another id (judged again: the hire stands).
    await certification.deliver(announcement);
    await certification.deliver({ ...announcement, eventId: randomUUID() });
    await certification.deliver(announcement, wrong.hired);
    expect(await certification.related(worker, employer)).toBe(true);
  });
});
