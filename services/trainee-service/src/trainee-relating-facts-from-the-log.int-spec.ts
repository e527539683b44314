// TraineeRelatingFactsFromTheLog: the relations made before facts were kept learn their facts from this
// service's own log (registrations, the archive's enrolments and hires), so the void of the enrolment or hire
// that alone related a pair takes it back; a pair whose registrant is unknown keeps its relation.
import { relateAll, TraineeRelationsByCertificates, TraineeRelationsByFacts, TraineeRelationsSchema } from '@skills/service-runtime';
import { Database, migrate } from '@skills/postgres';
import { createTestDatabase, TestDatabase } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { TraineeRelatingFactsFromTheLog } from './trainee.migrations';

describe('the migration that keeps the facts of the relations made before facts were kept', () => {
  let testDatabase: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = new Database({ url: testDatabase.url, schema: 'trainee' });
  });

  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  const related = async (traineeId: string, organisationId: string) =>
    (await database.query('SELECT 1 FROM trainee_relations WHERE trainee_id = $1 AND organisation_id = $2', [traineeId, organisationId])).rowCount === 1;

  it('marks the pairs its log accounts for, whose enrolment or hire voided then takes the relation back; not a pair of a registrant unknown', async () => {
    const before = [TraineeRelationsSchema, TraineeRelationsByCertificates, TraineeRelationsByFacts];
    await migrate(testDatabase.url, 'trainee', before);
    // The columns the migration reads, as the event store makes them.
    await database.query('CREATE TABLE events (stream_id text NOT NULL, event_type text NOT NULL, data jsonb NOT NULL)');
    const [known, unknown, school, employer, otherSchool] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const [enrolled, hired, enrolledElsewhere] = [randomUUID(), randomUUID(), randomUUID()];
    const logged = async (eventType: string, data: object) => database.query('INSERT INTO events (stream_id, event_type, data) VALUES ($1, $2, $3)', [randomUUID(), eventType, data]);
    // `known`: registered by the school (registeredBy kept), enrolled there and hired; `unknown`: registered before registeredBy was kept.
    await logged('TraineeRegistered', { traineeId: known, registeredBy: school });
    await logged('ArchiveEntryRecorded', { traineeId: known, kind: 'enrolled', details: { enrollmentId: enrolled, providerId: school } });
    await logged('ArchiveEntryRecorded', { traineeId: known, kind: 'hired', details: { employmentId: hired, employerId: employer } });
    await logged('TraineeRegistered', { traineeId: unknown });
    await logged('ArchiveEntryRecorded', { traineeId: unknown, kind: 'enrolled', details: { enrollmentId: enrolledElsewhere, providerId: otherSchool } });
    await database.query('INSERT INTO trainee_relations (trainee_id, organisation_id, by_certificates_alone) VALUES ($1, $2, false), ($1, $3, false), ($4, $5, false)', [known, school, employer, unknown, otherSchool]);

    await migrate(testDatabase.url, 'trainee', [...before, TraineeRelatingFactsFromTheLog]);

    const { rows } = await database.query<{ organisation_id: string; facts_kept: boolean }>('SELECT organisation_id, facts_kept FROM trainee_relations');
    expect(Object.fromEntries(rows.map((row) => [row.organisation_id, row.facts_kept]))).toEqual({ [school]: true, [employer]: true, [otherSchool]: false });
    const client = await database.pool.connect();
    try {
      // The hire alone related the employer; the school registered the person too; the other school's registrant is unknown.
      await relateAll(client, [
        { traineeId: known, organisationId: employer, by: { kind: 'employment', id: hired }, voided: true },
        { traineeId: known, organisationId: school, by: { kind: 'enrollment', id: enrolled }, voided: true },
        { traineeId: unknown, organisationId: otherSchool, by: { kind: 'enrollment', id: enrolledElsewhere }, voided: true },
      ]);
    } finally {
      client.release();
    }
    expect({ employer: await related(known, employer), school: await related(known, school), otherSchool: await related(unknown, otherSchool) }).toEqual({
      employer: false,
      school: true,
      otherSchool: true,
    });
  });
});
