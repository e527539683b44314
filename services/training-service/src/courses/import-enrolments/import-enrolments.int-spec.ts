// A school's import of enrolments and results into one of its courses (api.md, Imports), as training-service
// applies the batches trainee-service submits: on training-service alone and a real Postgres, each batch
// through applyImportBatch as the consumer runs it, read back through the course's roster. Today is
// 2021-06-15 (a fixed clock); the course ran from 2021-03-01 to 2021-05-31.
import { ImportMode, ImportRowOutcome, ImportRowsSubmittedV1, ImportRowSubmitted, TRAINEE_TOPIC } from '@skills/contracts';
import { ageOnDate, fixedClock } from '@skills/domain-kernel';
import { runWithCorrelation } from '@skills/messaging';
import { Transactions } from '@skills/postgres';
import { applyImportBatch, TraineeAges } from '@skills/service-runtime';
import { ApiSpec, bearer, fact, http, PastEvents, publishFacts, ServiceSpec, startServiceSpec, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { courseStream, enrolled, scheduledCourse } from '../../training-fixtures';
import { TrainingModule } from '../../training.module';
import { CourseScheduled } from '../course.aggregate';
import { EnrolmentsImportApplier } from './enrolments-import.applier';

const clock = fixedClock('2021-06-15T02:00:00.000Z');

type Fields = ImportRowSubmitted['fields'];
interface RosterEntry {
  traineeId: string;
  enrolledOn: string;
  status: string;
  enrollmentId: string;
  assessment: { passed: boolean; score: number; assessedOn: string; corrected: boolean } | null;
}

describe('training: a school imports enrolments and results into its course (api.md, Imports)', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;
  let transactions: Transactions;
  let applier: EnrolmentsImportApplier;
  let sql: Client;
  let batchNumber = 0;

  const staffOf = async (providerId: string) => bearer(await service.issuer.token({ role: 'school_staff', organisationId: providerId }));
  const rosterPath = (courseId: string) => `/api/v1/courses/${courseId}/enrollments`;

  /** A course of ten seats and `trainees` registered with trainee-service, its roster as it stands. */
  const given = async (scheduled: CourseScheduled, trainees: string[], ...more: { type: string; data: unknown }[]) => {
    const past: PastEvents = courseStream(scheduled, ...more);
    await spec
      .given(past, ...trainees.map((traineeId) => traineeRegisteredFact(traineeId)))
      .when('GET', rosterPath(scheduled.data.courseId), undefined, await staffOf(scheduled.data.providerId))
      .then(200);
  };
  const courseOf = (providerId: string = randomUUID()) => scheduledCourse({ providerId, capacity: 10 });
  /** The course's roster, once every event recorded before the read is in it. */
  const roster = async (scheduled: CourseScheduled): Promise<RosterEntry[]> => {
    const answer = await http(service.host.baseUrl, 'GET', `${rosterPath(scheduled.data.courseId)}?consistent=true`, undefined, await staffOf(scheduled.data.providerId));
    expect(answer.status).toBe(200);
    return answer.body.items;
  };
  const entryOf = (entries: RosterEntry[], traineeId: string) => entries.filter((entry) => entry.traineeId === traineeId);
  /** The school voids the trainee's enrolment named (recorded in error). */
  const voidEnrolment = async (scheduled: CourseScheduled, traineeId: string, enrollmentId: string) =>
    http(service.host.baseUrl, 'POST', `${rosterPath(scheduled.data.courseId)}/${traineeId}/void`, { reason: '导入时选错了课程', enrollmentId }, await staffOf(scheduled.data.providerId));

  /** A row as trainee-service submits it: one natural key per person in the course, a key per content. */
  const row = (n: number, traineeId: string | null, fields: Fields, key = JSON.stringify([traineeId, fields])): ImportRowSubmitted => ({
    row: n,
    naturalKey: `person-${traineeId}`,
    key,
    traineeId,
    fields,
  });
  const batchOf = (mode: ImportMode, scheduled: CourseScheduled, rows: ImportRowSubmitted[], organisationId = scheduled.data.providerId): ImportRowsSubmittedV1 => ({
    jobId: randomUUID(),
    batch: ++batchNumber,
    mode,
    kind: 'enrolments_and_results',
    organisationId,
    courseId: scheduled.data.courseId,
    startedBy: { userId: randomUUID(), role: 'school_staff' },
    rows,
  });
  /** Applies (or judges) one batch as the consumer does, in the message's context; answers its outcomes. */
  const outcomesOf = async (batch: ImportRowsSubmittedV1): Promise<ImportRowOutcome[]> => {
    const answer = await runWithCorrelation(batch.jobId, () => applyImportBatch(transactions, batch, applier, async () => undefined));
    return answer.outcomes;
  };
  const result = (score: string, assessedOn = '2021-05-28', passed = 'true'): Fields => ({ passed, score, assessedOn });
  /**
   * Birth dates as trainee-service holds them: this host has none, so the spec stands in for its answerer
   * (TraineeAges), which tells an age on a day, never the date; every question asked is kept.
   */
  const birthDates = new Map<string, string>();
  const agesAsked: string[] = [];
  const bornOn = (birthDate: string) => {
    const trainee = randomUUID();
    birthDates.set(trainee, birthDate);
    return trainee;
  };

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TrainingModule], service: 'training', replicaWaitMs: 200, clock });
    spec = service.spec;
    transactions = service.host.app.get(Transactions);
    applier = service.host.app.get(EnrolmentsImportApplier);
    service.host.app.get(TraineeAges, { strict: false }).register({
      ageOn: async (trainee, date) => {
        agesAsked.push(`${trainee}|${date}`);
        return birthDates.has(trainee) ? ageOnDate(birthDates.get(trainee)!, date) : undefined;
      },
    });
    sql = new Client({ connectionString: service.database.url, options: '-c search_path=training' });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await service?.close();
  });

  it('judges a batch by the rules that would apply it, and writes nothing', async () => {
    const scheduled = courseOf();
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    await given(scheduled, [first, second, third]);
    const outcomes = await outcomesOf(
      batchOf('judge', scheduled, [
        row(2, first, { enrolledOn: '2021-03-01', ...result('86.5') }),
        row(3, second, { enrolledOn: '2021-03-02' }),
        row(4, third, { passed: 'true', score: '80' }),
      ]),
    );
    expect(outcomes).toEqual([
      { row: 2, outcome: 'accepted' },
      { row: 3, outcome: 'accepted' },
      expect.objectContaining({ row: 4, outcome: 'refused', field: 'assessedOn', rule: 'isBusinessDate' }),
    ]);
    expect(await roster(scheduled)).toEqual([]);
    const { rows } = await sql.query('SELECT 1 FROM import_row_keys WHERE organisation_id = $1', [scheduled.data.providerId]);
    expect(rows).toEqual([]);
  });

  it('refuses, as the API answers 503, the row of a trainee one of whose facts waits here as a dead letter (their registration itself, too), never as an unknown trainee', async () => {
    const scheduled = courseOf();
    const [voidedMeanwhile, neverArrived, plain] = [randomUUID(), randomUUID(), randomUUID()];
    await given(scheduled, [voidedMeanwhile, plain]);
    // A void training could not apply, and a registration that never reached its replica: both parked here.
    for (const [traineeId, type] of [[voidedMeanwhile, 'TraineeRegistrationVoided'], [neverArrived, 'TraineeRegistered']]) {
      await sql.query(`INSERT INTO dead_letters (consumer, topic, message_id, envelope, error) VALUES ('training.known-trainees', $1, gen_random_uuid(), $2, 'probe')`, [TRAINEE_TOPIC, { type, aggregateId: traineeId }]);
    }
    const rows = [row(2, voidedMeanwhile, { enrolledOn: '2021-03-01' }), row(3, neverArrived, { enrolledOn: '2021-03-01' }), row(4, plain, { enrolledOn: '2021-03-01' })];
    expect(await outcomesOf(batchOf('apply', scheduled, rows))).toEqual([
      expect.objectContaining({ row: 2, outcome: 'refused', field: 'idNumber', rule: 'facts_not_caught_up' }),
      expect.objectContaining({ row: 3, outcome: 'refused', field: 'idNumber', rule: 'facts_not_caught_up' }),
      { row: 4, outcome: 'created' },
    ]);
    expect((await roster(scheduled)).map((each: { traineeId: string }) => each.traineeId)).toEqual([plain]);
  });

  it('applies a batch: enrols and records; the same rows again are already present; a changed row corrects its result', async () => {
    const scheduled = courseOf();
    const [first, second] = [randomUUID(), randomUUID()];
    await given(scheduled, [first, second]);
    const rows = [row(2, first, { enrolledOn: '2021-03-01', ...result('86.5') }), row(3, second, { enrolledOn: '2021-03-02' })];

    expect(await outcomesOf(batchOf('apply', scheduled, rows))).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'created' },
    ]);
    expect(await roster(scheduled)).toEqual([
      expect.objectContaining({ traineeId: first, enrolledOn: '2021-03-01', status: 'enrolled', assessment: expect.objectContaining({ passed: true, score: 86.5, assessedOn: '2021-05-28', corrected: false }) }),
      expect.objectContaining({ traineeId: second, enrolledOn: '2021-03-02', status: 'enrolled', assessment: null }),
    ]);

    // The same file again (another job, the same keys): nothing changes.
    expect(await outcomesOf(batchOf('apply', scheduled, rows))).toEqual([
      { row: 2, outcome: 'already_present' },
      { row: 3, outcome: 'already_present' },
    ]);
    expect(await roster(scheduled)).toHaveLength(2);

    // A corrected file: the same person, another score. Still one enrolment, with the new result.
    expect(await outcomesOf(batchOf('apply', scheduled, [row(2, first, { enrolledOn: '2021-03-01', ...result('92', '2021-05-29') })]))).toEqual([{ row: 2, outcome: 'corrected' }]);
    const after = await roster(scheduled);
    expect(after).toHaveLength(2);
    expect(entryOf(after, first)).toEqual([expect.objectContaining({ enrolledOn: '2021-03-01', assessment: expect.objectContaining({ score: 92, assessedOn: '2021-05-29', corrected: true }) })]);

    // The first file once more: its row for the corrected person is no longer what the course holds, and
    // is applied again (A, B, A ends at A, as within one file); the untouched row is still present.
    expect(await outcomesOf(batchOf('apply', scheduled, rows))).toEqual([
      { row: 2, outcome: 'corrected' },
      { row: 3, outcome: 'already_present' },
    ]);
    expect(entryOf(await roster(scheduled), first)).toEqual([expect.objectContaining({ assessment: expect.objectContaining({ score: 86.5, assessedOn: '2021-05-28' }) })]);
  });

  it("takes a first attempt never imported, before a retake that was, as present: the retake, the file's last word in another batch, stands", async () => {
    const scheduled = courseOf();
    const person = randomUUID();
    await given(scheduled, [person]);
    const retake = row(3, person, { enrolledOn: '2021-03-01', ...result('75', '2021-05-31') });
    expect(await outcomesOf(batchOf('apply', scheduled, [retake]))).toEqual([{ row: 3, outcome: 'created' }]);
    // The file again with the first attempt before it (its typo mended), the retake in the next batch.
    const firstAttempt = { ...row(2, person, { enrolledOn: '2021-03-01', ...result('52', '2021-05-30', 'false') }), lastKeyInFile: retake.key };
    expect(await outcomesOf(batchOf('apply', scheduled, [firstAttempt]))).toEqual([{ row: 2, outcome: 'already_present' }]);
    expect(entryOf(await roster(scheduled), person)).toEqual([expect.objectContaining({ assessment: expect.objectContaining({ score: 75, passed: true }) })]);
  });

  it('takes a person twice in one batch as a correction of the first row, in a judged batch as in an applied one', async () => {
    const scheduled = courseOf();
    const trainee = randomUUID();
    await given(scheduled, [trainee]);
    const rows = () => [row(2, trainee, { enrolledOn: '2021-03-01', ...result('50') }), row(3, trainee, { enrolledOn: '2021-03-01', ...result('65') })];
    expect(await outcomesOf(batchOf('judge', scheduled, rows()))).toEqual([
      { row: 2, outcome: 'accepted' },
      { row: 3, outcome: 'accepted' },
    ]);
    const batch = batchOf('apply', scheduled, rows());
    expect(await outcomesOf(batch)).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'corrected' },
    ]);
    expect(await roster(scheduled)).toEqual([expect.objectContaining({ traineeId: trainee, assessment: expect.objectContaining({ score: 65, corrected: true }) })]);
    // Recorded as the platform's import, on behalf of the user who started it (domain.md section 9).
    const { rows: actors } = await sql.query("SELECT DISTINCT metadata->'actor' AS actor FROM events WHERE stream_id = $1 AND event_type <> 'CourseScheduled'", [`course-${scheduled.data.courseId}`]);
    expect(actors).toEqual([{ actor: { userId: batch.startedBy.userId, role: 'school_staff', organisationId: scheduled.data.providerId, via: 'system', component: 'imports' } }]);
  });

  it('answers each row of a person twice in one batch by its own cells: the row imported before is already present, its correction applies', async () => {
    const scheduled = courseOf();
    const trainee = randomUUID();
    await given(scheduled, [trainee]);
    const first = row(2, trainee, { enrolledOn: '2021-03-01', ...result('50') });
    expect(await outcomesOf(batchOf('apply', scheduled, [first]))).toEqual([{ row: 2, outcome: 'created' }]);
    // The file again, with a correction row after the first: only the correction is new.
    const correction = row(3, trainee, { enrolledOn: '2021-03-01', ...result('65') });
    expect(await outcomesOf(batchOf('apply', scheduled, [first, correction]))).toEqual([
      { row: 2, outcome: 'already_present' },
      { row: 3, outcome: 'corrected' },
    ]);
    expect(await roster(scheduled)).toEqual([expect.objectContaining({ traineeId: trainee, assessment: expect.objectContaining({ score: 65, corrected: true }) })]);
  });

  it('takes a line twice in a file as the one row: the repeat is already present, its result not recorded again', async () => {
    const scheduled = courseOf();
    const trainee = randomUUID();
    await given(scheduled, [trainee]);
    const line = (n: number) => row(n, trainee, { enrolledOn: '2021-03-01', ...result('70') });
    expect(await outcomesOf(batchOf('judge', scheduled, [line(2), line(3)]))).toEqual([
      { row: 2, outcome: 'accepted' },
      { row: 3, outcome: 'accepted' },
    ]);
    expect(await outcomesOf(batchOf('apply', scheduled, [line(2), line(3)]))).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'already_present' },
    ]);
    expect(await roster(scheduled)).toEqual([expect.objectContaining({ traineeId: trainee, assessment: expect.objectContaining({ score: 70, corrected: false }) })]);
    const { rows: results } = await sql.query("SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND event_type = 'AssessmentRecorded'", [`course-${scheduled.data.courseId}`]);
    expect(results).toEqual([{ n: 1 }]);
  });

  it("takes the file's last word for a person: A, B, A ends at A; an enrolment and then its result is a correction", async () => {
    const scheduled = courseOf();
    const [changing, later] = [randomUUID(), randomUUID()];
    await given(scheduled, [changing, later]);
    const outcomes = await outcomesOf(
      batchOf('apply', scheduled, [
        row(2, changing, { enrolledOn: '2021-03-01', ...result('50') }),
        row(3, changing, { enrolledOn: '2021-03-01', ...result('65') }),
        row(4, changing, { enrolledOn: '2021-03-01', ...result('50') }),
        row(5, later, { enrolledOn: '2021-03-01' }),
        row(6, later, { enrolledOn: '2021-03-01', ...result('90') }),
      ]),
    );
    expect(outcomes).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'corrected' },
      { row: 4, outcome: 'corrected' },
      { row: 5, outcome: 'created' },
      { row: 6, outcome: 'corrected' },
    ]);
    const entries = await roster(scheduled);
    expect(entryOf(entries, changing)).toEqual([expect.objectContaining({ assessment: expect.objectContaining({ score: 50, corrected: true }) })]);
    expect(entryOf(entries, later)).toEqual([expect.objectContaining({ assessment: expect.objectContaining({ score: 90, corrected: false }) })]);
  });

  it('does not enrol again a trainee enrolled through the API; a result over one recorded before is a correction', async () => {
    const scheduled = courseOf();
    const [assessed, unassessed, dated] = [randomUUID(), randomUUID(), randomUUID()];
    const assessedEnrolment = enrolled(scheduled, assessed, '2021-03-01');
    const earlier = {
      type: 'AssessmentRecorded',
      data: { assessmentId: randomUUID(), enrollmentId: assessedEnrolment.data.enrollmentId, courseId: scheduled.data.courseId, traineeId: assessed, passed: false, score: 40, assessedOn: '2021-05-01' },
    };
    await given(scheduled, [assessed, unassessed, dated], assessedEnrolment, earlier, enrolled(scheduled, unassessed, '2021-03-05'));

    const outcomes = await outcomesOf(
      batchOf('apply', scheduled, [
        row(2, assessed, { enrolledOn: '2021-03-01', ...result('75', '2021-05-31') }),
        row(3, unassessed, result('60', '2021-05-31', 'false')),
        // No enrolledOn: enrolled on the day of the result.
        row(4, dated, result('88', '2021-05-30')),
      ]),
    );
    expect(outcomes).toEqual([
      { row: 2, outcome: 'corrected' },
      { row: 3, outcome: 'created' },
      { row: 4, outcome: 'created' },
    ]);
    const entries = await roster(scheduled);
    expect(entries).toHaveLength(3);
    expect(entryOf(entries, assessed)).toEqual([expect.objectContaining({ enrolledOn: '2021-03-01', assessment: expect.objectContaining({ passed: true, score: 75, corrected: true }) })]);
    expect(entryOf(entries, unassessed)).toEqual([expect.objectContaining({ enrolledOn: '2021-03-05', assessment: expect.objectContaining({ passed: false, score: 60, corrected: false }) })]);
    expect(entryOf(entries, dated)).toEqual([expect.objectContaining({ enrolledOn: '2021-05-30', assessment: expect.objectContaining({ score: 88 }) })]);
  });

  it('enrols on the last day for an exam held after the course ended; a row that asks for nothing new is already present, in a dry run too', async () => {
    const scheduled = courseOf();
    const [examinedLate, enrolledBefore] = [randomUUID(), randomUUID()];
    await given(scheduled, [examinedLate, enrolledBefore], enrolled(scheduled, enrolledBefore, '2021-03-05'));
    const rows = [
      // No enrolledOn, and the result after the course's end (2021-05-31): not refused enrolled_after_course_end.
      row(2, examinedLate, result('81', '2021-06-10')),
      // Enrolled through the API already, no result: nothing to record; the line again, the same.
      row(3, enrolledBefore, { enrolledOn: '2021-03-05' }),
      row(4, enrolledBefore, { enrolledOn: '2021-03-05' }),
    ];
    expect(await outcomesOf(batchOf('judge', scheduled, rows))).toEqual([
      { row: 2, outcome: 'accepted' },
      { row: 3, outcome: 'already_present' },
      { row: 4, outcome: 'already_present' },
    ]);
    expect(await outcomesOf(batchOf('apply', scheduled, rows))).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'already_present' },
      { row: 4, outcome: 'already_present' },
    ]);
    const entries = await roster(scheduled);
    expect(entryOf(entries, examinedLate)).toEqual([expect.objectContaining({ enrolledOn: '2021-05-31', assessment: expect.objectContaining({ score: 81, assessedOn: '2021-06-10' }) })]);
    expect(entryOf(entries, enrolledBefore)).toEqual([expect.objectContaining({ enrolledOn: '2021-03-05', assessment: null })]);
    const { rows: events } = await sql.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [`course-${scheduled.data.courseId}`]);
    expect(events).toEqual([{ n: 4 }]);
  });

  it("refuses a row by the API's field rules and the course's rules; a refused row leaves nothing, the others apply", async () => {
    const scheduled = courseOf();
    const trainees = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await given(scheduled, trainees);
    const [noDate, notBoolean, outOfRange, badEnrolment, beforeStart, fine] = trainees;

    const outcomes = await outcomesOf(
      batchOf('apply', scheduled, [
        row(2, noDate, { enrolledOn: '2021-03-01', passed: 'true', score: '80' }),
        row(3, notBoolean, { enrolledOn: '2021-03-01', ...result('80', '2021-05-28', 'yes') }),
        row(4, outOfRange, { enrolledOn: '2021-03-01', ...result('100.5') }),
        row(5, badEnrolment, { enrolledOn: '2021-02-30' }),
        // Enrolled, then refused at its result: the enrolment goes with it.
        row(6, beforeStart, { enrolledOn: '2021-03-01', ...result('80', '2021-02-15') }),
        row(7, fine, { enrolledOn: '2021-03-01' }),
      ]),
    );
    expect(outcomes).toEqual([
      expect.objectContaining({ row: 2, outcome: 'refused', field: 'assessedOn', rule: 'isBusinessDate' }),
      expect.objectContaining({ row: 3, outcome: 'refused', field: 'passed', rule: 'isBoolean' }),
      expect.objectContaining({ row: 4, outcome: 'refused', field: 'score', rule: 'isDecimal' }),
      expect.objectContaining({ row: 5, outcome: 'refused', field: 'enrolledOn', rule: 'isBusinessDate' }),
      expect.objectContaining({ row: 6, outcome: 'refused', field: '', rule: 'assessed_before_course_start' }),
      { row: 7, outcome: 'created' },
    ]);
    expect((await roster(scheduled)).map((entry) => entry.traineeId)).toEqual([fine]);
  });

  it("refuses every row for another school's course, as the API refuses it (courses:enrol)", async () => {
    const scheduled = courseOf();
    const [enrolledThere, newcomer] = [randomUUID(), randomUUID()];
    await given(scheduled, [enrolledThere, newcomer], enrolled(scheduled, enrolledThere));
    const otherSchool = randomUUID();
    const outcomes = await outcomesOf(
      batchOf('apply', scheduled, [row(2, enrolledThere, { enrolledOn: '2021-03-01' }), row(3, newcomer, { enrolledOn: '2021-03-01', ...result('80') }), row(4, newcomer, { enrolledOn: 'soon' })], otherSchool),
    );
    expect(outcomes).toEqual([2, 3, 4].map((n) => expect.objectContaining({ row: n, outcome: 'refused', rule: 'permission_denied', detail: expect.stringContaining('courses:enrol') })));
    expect((await roster(scheduled)).map((entry) => entry.traineeId)).toEqual([enrolledThere]);
  });

  it('refuses a trainee the service does not know and a course that does not exist (not_found)', async () => {
    const scheduled = courseOf();
    await given(scheduled, []);
    expect(await outcomesOf(batchOf('apply', scheduled, [row(2, randomUUID(), { enrolledOn: '2021-03-01' }), row(3, null, { enrolledOn: '2021-03-01' })]))).toEqual([
      expect.objectContaining({ row: 2, outcome: 'refused', field: 'trainee', rule: 'not_found' }),
      expect.objectContaining({ row: 3, outcome: 'refused', field: 'trainee', rule: 'not_found' }),
    ]);
    const nowhere = courseOf(scheduled.data.providerId);
    expect(await outcomesOf(batchOf('apply', nowhere, [row(2, randomUUID(), { enrolledOn: '2021-03-01' })]))).toEqual([
      expect.objectContaining({ row: 2, outcome: 'refused', field: 'course', rule: 'not_found' }),
    ]);
  });

  it('refuses a result for a trainee whose registration trainee-service voided (trainee_voided), as the API does; the other rows apply', async () => {
    const scheduled = courseOf();
    const [assessedGhost, ghost, plain] = [randomUUID(), randomUUID(), randomUUID()];
    // Enrolled before training learnt of the void: with a result, the enrolment stands; without, the void freed its seat.
    const withResult = enrolled(scheduled, assessedGhost);
    const standing = { assessmentId: randomUUID(), enrollmentId: withResult.data.enrollmentId, courseId: scheduled.data.courseId, traineeId: assessedGhost, passed: true, score: 80, assessedOn: '2021-05-20' };
    await given(scheduled, [assessedGhost, ghost, plain], withResult, { type: 'AssessmentRecorded', data: standing }, enrolled(scheduled, ghost));
    const voided = (traineeId: string) => fact(TRAINEE_TOPIC, 'TraineeRegistrationVoided', { traineeId, voidedOn: '2021-05-25' }, { key: traineeId });
    await publishFacts(service.host, [voided(assessedGhost), voided(ghost)]);
    const rows = [row(2, assessedGhost, { enrolledOn: '2021-03-01', ...result('40', '2021-05-28', 'false') }), row(3, ghost, { enrolledOn: '2021-03-01', ...result('86') }), row(4, plain, { enrolledOn: '2021-03-01', ...result('75') })];
    expect(await outcomesOf(batchOf('apply', scheduled, rows))).toEqual([
      expect.objectContaining({ row: 2, outcome: 'refused', rule: 'trainee_voided' }),
      // Enrolled anew, as the API's enrolment of a voided registration: no such trainee.
      expect.objectContaining({ row: 3, outcome: 'refused', field: 'trainee', rule: 'not_found' }),
      { row: 4, outcome: 'created' },
    ]);
    expect(entryOf(await roster(scheduled), assessedGhost)).toEqual([expect.objectContaining({ status: 'enrolled', assessment: expect.objectContaining({ passed: true, score: 80 }) })]);
    expect(entryOf(await roster(scheduled), ghost)).toEqual([expect.objectContaining({ status: 'withdrawn', assessment: null })]);
  });

  it('refuses the row of a trainee whose void is being applied here, once it is: never a seat taken the void does not free', async () => {
    const scheduled = courseOf();
    const [ghost, plain] = [randomUUID(), randomUUID()];
    await given(scheduled, [ghost, plain]);
    // The replica's consumer applying the void, not yet committed (its first step forgets the trainee).
    const voiding = new Client({ connectionString: service.database.url, options: '-c search_path=training' });
    await voiding.connect();
    try {
      await voiding.query('BEGIN');
      await voiding.query('DELETE FROM known_trainees WHERE trainee_id = $1', [ghost]);
      const importing = outcomesOf(batchOf('apply', scheduled, [row(2, plain, { enrolledOn: '2021-03-01' }), row(3, ghost, { enrolledOn: '2021-03-01' })]));
      const first = await Promise.race([importing.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 500))]);
      expect(first).toBe('waiting');
      await voiding.query('INSERT INTO forgotten_trainees (trainee_id, voided) VALUES ($1, true)', [ghost]);
      await voiding.query('COMMIT');
      expect(await importing).toEqual([{ row: 2, outcome: 'created' }, expect.objectContaining({ row: 3, outcome: 'refused', field: 'trainee', rule: 'not_found' })]);
      expect(entryOf(await roster(scheduled), ghost)).toEqual([]);
    } finally {
      await voiding.end();
    }
  });

  it("applies a full course's batch in one pass: no savepoint per row, so no row's commands in a subtransaction of their own", async () => {
    // Row by row, each row took a savepoint and each of its commands one more: 80 rows with results
    // wrote their 160 events from 160 subtransactions, past the 64 Postgres keeps for others' snapshots.
    const scheduled = scheduledCourse({ capacity: 80 });
    const trainees = Array.from({ length: 81 }, () => randomUUID());
    await given(scheduled, trainees);
    const outcomes = await outcomesOf(batchOf('apply', scheduled, trainees.map((trainee, n) => row(n + 2, trainee, { enrolledOn: '2021-03-01', ...result(String(60 + (n % 40))) }))));
    // The 81st finds the course full, as the rows before it in the same batch left it.
    expect(outcomes.slice(0, 80).every((outcome) => outcome.outcome === 'created')).toBe(true);
    expect(outcomes[80]).toEqual(expect.objectContaining({ row: 82, outcome: 'refused', rule: 'course_full' }));
    // A row written in a subtransaction carries that subtransaction's id as its xmin.
    const { rows: writers } = await sql.query("SELECT count(DISTINCT xmin::text)::int AS n, count(*)::int AS events FROM events WHERE stream_id = $1 AND event_type <> 'CourseScheduled'", [
      `course-${scheduled.data.courseId}`,
    ]);
    expect(writers).toEqual([{ n: 1, events: 160 }]);
    const answer = await http(service.host.baseUrl, 'GET', `${rosterPath(scheduled.data.courseId)}?consistent=true&limit=100`, undefined, await staffOf(scheduled.data.providerId));
    expect(answer.body.items).toHaveLength(80);
    expect(answer.body.items.every((entry: RosterEntry) => entry.assessment?.passed === true)).toBe(true);
  });

  it('takes two jobs of the same file at once one after the other: the second finds every row already present', async () => {
    const scheduled = courseOf();
    const trainees = [randomUUID(), randomUUID(), randomUUID()];
    await given(scheduled, trainees);
    const rows = trainees.map((trainee, n) => row(n + 2, trainee, { enrolledOn: '2021-03-01', ...result('70') }));
    const answers = await Promise.all([outcomesOf(batchOf('apply', scheduled, rows)), outcomesOf(batchOf('apply', scheduled, rows))]);
    const kinds = answers.map((outcomes) => [...new Set(outcomes.map((outcome) => outcome.outcome))].join()).sort();
    expect(kinds).toEqual(['already_present', 'created']);
    const entries = await roster(scheduled);
    expect(entries).toHaveLength(3);
    expect(entries.every((entry) => entry.assessment?.corrected === false)).toBe(true);
  });

  it('applies a batch submitted on the trainee topic once, however often it is delivered, and answers it', async () => {
    const scheduled = courseOf();
    const trainee = randomUUID();
    await given(scheduled, [trainee]);
    const batch = batchOf('apply', scheduled, [row(2, trainee, { enrolledOn: '2021-03-01', ...result('70') })]);
    const submitted = () => fact(TRAINEE_TOPIC, 'ImportRowsSubmitted', batch, { key: batch.jobId });
    await publishFacts(service.host, [submitted()]);
    await publishFacts(service.host, [submitted()]);
    const { rows } = await sql.query('SELECT outcomes FROM import_batch_answers WHERE job_id = $1', [batch.jobId]);
    expect(rows).toEqual([{ outcomes: [{ row: 2, outcome: 'created' }] }]);
    expect(entryOf(await roster(scheduled), trainee)).toEqual([expect.objectContaining({ assessment: expect.objectContaining({ score: 70 }) })]);
  });

  it('refuses a row that would enrol its person before they were born, on the day the row would date the enrolment; asks trainee-service once for each person and day, and nothing of a row that enrols no one', async () => {
    // The course ran from 2021-03-01 to 2021-05-31.
    const scheduled = courseOf();
    const [bornAfterEnrolment, bornAfterResult, bornAfterCourse, bornBefore, enrolledAlready] = [
      bornOn('2021-03-02'),
      bornOn('2021-04-02'),
      bornOn('2021-06-01'),
      bornOn('2021-03-01'),
      bornOn('2021-03-20'),
    ];
    await given(scheduled, [bornAfterEnrolment, bornAfterResult, bornAfterCourse, bornBefore, enrolledAlready], enrolled(scheduled, enrolledAlready, '2021-04-01'));
    agesAsked.length = 0;
    const rows = [
      row(2, bornAfterEnrolment, { enrolledOn: '2021-03-01', ...result('80', '2021-05-28') }),
      // No enrolledOn: enrolled on the day of the result.
      row(3, bornAfterResult, result('80', '2021-04-01')),
      // An exam after the course ended dates the enrolment on the course's last day, before this birth.
      row(4, bornAfterCourse, result('80', '2021-06-10')),
      row(5, bornBefore, { enrolledOn: '2021-03-01', ...result('80', '2021-05-28') }),
      // Enrolled already: its result is judged within that enrolment, and nobody is asked.
      row(6, enrolledAlready, result('70', '2021-05-28')),
    ];
    expect(await outcomesOf(batchOf('apply', scheduled, rows))).toEqual([
      expect.objectContaining({ row: 2, outcome: 'refused', field: 'enrolledOn', rule: 'enrolled_before_birth' }),
      // Dated by the result: the refusal names the cell the day came from, the one in the file.
      expect.objectContaining({ row: 3, outcome: 'refused', field: 'assessedOn', rule: 'enrolled_before_birth' }),
      expect.objectContaining({ row: 4, outcome: 'refused', field: 'assessedOn', rule: 'enrolled_before_birth' }),
      { row: 5, outcome: 'created' },
      { row: 6, outcome: 'created' },
    ]);
    expect(agesAsked.sort()).toEqual([`${bornAfterEnrolment}|2021-03-01`, `${bornAfterResult}|2021-04-01`, `${bornAfterCourse}|2021-05-31`, `${bornBefore}|2021-03-01`].sort());
    expect((await roster(scheduled)).map((each) => [each.traineeId, each.enrolledOn, each.assessment?.score])).toEqual([
      [bornBefore, '2021-03-01', 80],
      [enrolledAlready, '2021-04-01', 70],
    ]);
  });

  it("records a voided enrolment's rows anew when uploaded again, each version of them; other people's and other courses' rows stay present", async () => {
    const providerId = randomUUID();
    const [scheduled, other] = [courseOf(providerId), courseOf(providerId)];
    const [voided, kept] = [randomUUID(), randomUUID()];
    await given(scheduled, [voided, kept]);
    await given(other, []);
    const first = row(2, voided, { enrolledOn: '2021-03-01', ...result('60') });
    const corrected = row(2, voided, { enrolledOn: '2021-03-01', ...result('86') });
    const keptRow = row(3, kept, { enrolledOn: '2021-03-02' });
    // The same person in the school's other course: a natural key of its own (trainee-service's names the course).
    const otherRow = { ...row(2, voided, { enrolledOn: '2021-03-01' }), naturalKey: `person-${voided}-other` };
    expect(await outcomesOf(batchOf('apply', scheduled, [first, keptRow]))).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'created' },
    ]);
    expect(await outcomesOf(batchOf('apply', scheduled, [corrected]))).toEqual([{ row: 2, outcome: 'corrected' }]);
    expect(await outcomesOf(batchOf('apply', other, [otherRow]))).toEqual([{ row: 2, outcome: 'created' }]);
    const voidIt = async () => voidEnrolment(scheduled, voided, entryOf(await roster(scheduled), voided)[0].enrollmentId);
    expect(await voidIt()).toMatchObject({ status: 200 });
    expect(entryOf(await roster(scheduled), voided)).toEqual([]);

    // The corrected row again: recorded anew (enrolled, its result), not answered present.
    expect(await outcomesOf(batchOf('apply', scheduled, [corrected, keptRow]))).toEqual([
      { row: 2, outcome: 'created' },
      { row: 3, outcome: 'already_present' },
    ]);
    expect(entryOf(await roster(scheduled), voided)).toEqual([expect.objectContaining({ enrolledOn: '2021-03-01', status: 'enrolled', assessment: expect.objectContaining({ score: 86, corrected: false }) })]);
    // Voided again, the first version of the row is no correction of anything: recorded anew too.
    expect(await voidIt()).toMatchObject({ status: 200 });
    expect(await outcomesOf(batchOf('apply', scheduled, [first]))).toEqual([{ row: 2, outcome: 'created' }]);
    expect(entryOf(await roster(scheduled), voided)).toEqual([expect.objectContaining({ assessment: expect.objectContaining({ score: 60, corrected: false }) })]);
    // The other course's enrolment of the same person was not voided: its row stays present.
    expect(await outcomesOf(batchOf('apply', other, [otherRow]))).toEqual([{ row: 2, outcome: 'already_present' }]);
  });

  it("forgets only the voided enrolment's rows: a row that recorded the trainee's later enrolment in the course stays present", async () => {
    const providerId = randomUUID();
    const scheduled = courseOf(providerId);
    const trainee = randomUUID();
    await given(scheduled, [trainee]);
    // Enrolled by hand, and withdrawn; then enrolled again with a result by a file.
    const byHand = await http(service.host.baseUrl, 'POST', rosterPath(scheduled.data.courseId), { traineeId: trainee, enrolledOn: '2021-03-01' }, await staffOf(providerId));
    expect(byHand.status).toBe(201);
    expect((await http(service.host.baseUrl, 'DELETE', `${rosterPath(scheduled.data.courseId)}/${trainee}?withdrawnOn=2021-03-10`, undefined, await staffOf(providerId))).status).toBe(204);
    const filed = row(2, trainee, { enrolledOn: '2021-03-15', ...result('80', '2021-05-20') });
    expect(await outcomesOf(batchOf('apply', scheduled, [filed]))).toEqual([{ row: 2, outcome: 'created' }]);

    expect(await voidEnrolment(scheduled, trainee, byHand.body.enrollmentId)).toMatchObject({ status: 200 });

    // The file's row recorded the enrolment that stands: uploaded again, it is present, not a correction of it.
    expect(await outcomesOf(batchOf('apply', scheduled, [filed]))).toEqual([{ row: 2, outcome: 'already_present' }]);
    expect(entryOf(await roster(scheduled), trainee)).toEqual([expect.objectContaining({ enrolledOn: '2021-03-15', assessment: expect.objectContaining({ score: 80, corrected: false }) })]);
  });

  it("forgets which course a person's row keys were kept for with the keys, when trainee-service erases the person", async () => {
    const scheduled = courseOf();
    const erased = randomUUID();
    await given(scheduled, [erased]);
    expect(await outcomesOf(batchOf('apply', scheduled, [row(2, erased, { enrolledOn: '2021-03-01' })]))).toEqual([{ row: 2, outcome: 'created' }]);
    const kept = async () => (await sql.query('SELECT course_id FROM imported_enrolment_rows WHERE trainee_id = $1', [erased])).rows;
    expect(await kept()).toEqual([{ course_id: scheduled.data.courseId }]);
    await publishFacts(service.host, [fact(TRAINEE_TOPIC, 'PersonalDataErased', { traineeId: erased, erasedOn: '2021-06-15' }, { key: erased })]);
    expect(await kept()).toEqual([]);
  });
});
