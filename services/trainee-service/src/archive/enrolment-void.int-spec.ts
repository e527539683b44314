// The archive and an enrolment voided with its results (recorded in error): its entries, the enrolment, any
// withdrawal and every result, corrections too, leave the archive, its PDF and the registration void's
// judgement alike, as if neither had ever been recorded; the person enrolled again in that course (a new
// enrolment) stands. A void that arrives before them (their letters retried late) leaves them voided when they
// come, and a message delivered again changes nothing.
import { AssessmentRecordedV1, CourseFactsV1, EnrollmentVoidedV1, EnrollmentWithdrawnV1, TraineeEnrolledV1, TRAINING_TOPIC } from '@skills/contracts';
import { fact, Fact, publishFacts } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { archiveVoidsSpecHost, deliveredAgain } from './archive-voids-spec-host';

const courseFacts = (title: string): CourseFactsV1 => ({ title, providerId: randomUUID(), providerCreditCode: '91430200MA4L000000', occupationCode: '6-18-02-04', occupationEdition: '2022', kind: 'skill' });

/** One enrolment of the trainee in a course, as each of its messages names it. */
const enrolment = (traineeId: string, courseId: string, course: CourseFactsV1) => ({ enrollmentId: randomUUID(), courseId, traineeId, course });
type Enrolment = ReturnType<typeof enrolment>;

// A course's messages are keyed by the course; a result's version is its place in the course's stream.
const enrolled = (of: Enrolment): Fact => {
  const payload: TraineeEnrolledV1 = { ...of, enrolledOn: '2022-03-01' };
  return fact(TRAINING_TOPIC, 'TraineeEnrolled', payload, { key: of.courseId, aggregateVersion: 2 });
};
const withdrew = (of: Enrolment): Fact => {
  const payload: EnrollmentWithdrawnV1 = { ...of, withdrawnOn: '2022-05-01' };
  return fact(TRAINING_TOPIC, 'EnrollmentWithdrawn', payload, { key: of.courseId, aggregateVersion: 5 });
};
const assessed = (of: Enrolment, score: number, aggregateVersion: number, corrects?: string): Fact => {
  const payload: AssessmentRecordedV1 = { ...of, assessmentId: randomUUID(), passed: score >= 60, score, assessedOn: '2022-04-01', ...(corrects ? { corrects } : {}) };
  return fact(TRAINING_TOPIC, 'AssessmentRecorded', payload, { key: of.courseId, aggregateVersion });
};
const assessmentIdOf = (message: Fact) => (message.envelope.payload as AssessmentRecordedV1).assessmentId;
const voided = (of: Enrolment, ...results: Fact[]): Fact => {
  const payload: EnrollmentVoidedV1 = { ...of, assessmentIds: results.map(assessmentIdOf), voidedOn: '2022-09-01' };
  return fact(TRAINING_TOPIC, 'EnrollmentVoided', payload, { key: of.courseId, aggregateVersion: 9 });
};

describe('the archive and a voided enrolment', () => {
  const archive = archiveVoidsSpecHost({ name: '王五', numbersFrom: 7700 });
  const { registered } = archive;
  const publish = (facts: Fact[]) => publishFacts(archive.service().host, facts);
  /** The archive's training entries: kind, course and enrolment (and a result's score). */
  const trainingIn = async (traineeId: string) => {
    return ((await archive.entriesOf(traineeId)) as Array<{ kind: string; context: string; courseTitle: string; enrollmentId: string; score?: number }>)
      .filter((entry) => entry.context === 'training')
      .map(({ kind, courseTitle, enrollmentId, score }) => ({ kind, courseTitle, enrollmentId, ...(score === undefined ? {} : { score }) }));
  };
  const { archivePdfText, voidRegistration } = archive;

  it('leaves a voided enrolment, its withdrawal and its results out of the archive and its PDF, another course and a new enrolment in the same course standing; the facts delivered again bring nothing back', async () => {
    const worker = await registered();
    const [mistakenCourse, otherCourse] = [randomUUID(), randomUUID()];
    const [mistakenFacts, otherFacts] = [courseFacts('电焊工初级培训班'), courseFacts('安全生产法规')];
    const [mistaken, standing] = [enrolment(worker, mistakenCourse, mistakenFacts), enrolment(worker, otherCourse, otherFacts)];
    const first = assessed(mistaken, 55, 3);
    const corrected = assessed(mistaken, 72, 4, assessmentIdOf(first));
    const facts = [enrolled(mistaken), first, corrected, withdrew(mistaken)];
    await publish([...facts, enrolled(standing)]);
    expect(await trainingIn(worker)).toEqual([
      { kind: 'enrolled', courseTitle: mistakenFacts.title, enrollmentId: mistaken.enrollmentId },
      { kind: 'enrolled', courseTitle: otherFacts.title, enrollmentId: standing.enrollmentId },
      { kind: 'assessed', courseTitle: mistakenFacts.title, enrollmentId: mistaken.enrollmentId, score: 72 },
      { kind: 'withdrew', courseTitle: mistakenFacts.title, enrollmentId: mistaken.enrollmentId },
    ]);
    expect(await archivePdfText(worker)).toContain(mistakenFacts.title);

    const voidOf = voided(mistaken, first, corrected);
    await publish([voidOf]);
    const left = [{ kind: 'enrolled', courseTitle: otherFacts.title, enrollmentId: standing.enrollmentId }];
    expect(await trainingIn(worker)).toEqual(left);
    const text = await archivePdfText(worker);
    expect(text).toContain(otherFacts.title);
    expect(text).not.toContain(mistakenFacts.title);

    // A replay of every fact of the enrolment and of its void (new ids), and the void itself again (the inbox's to drop).
    await publish([...facts.map(deliveredAgain), deliveredAgain(voidOf), voidOf]);
    expect(await trainingIn(worker)).toEqual(left);

    // Enrolled in that course again: a new enrolment, which stands.
    const again = enrolment(worker, mistakenCourse, mistakenFacts);
    await publish([enrolled(again)]);
    expect(await trainingIn(worker)).toEqual([...left, { kind: 'enrolled', courseTitle: mistakenFacts.title, enrollmentId: again.enrollmentId }]);
  });

  it('keeps an enrolment and its results voided that arrive after their void (their letters retried late)', async () => {
    const worker = await registered();
    const course = courseFacts('电工初级培训班');
    const mistaken = enrolment(worker, randomUUID(), course);
    const first = assessed(mistaken, 55, 3);
    const corrected = assessed(mistaken, 72, 4, assessmentIdOf(first));
    await publish([voided(mistaken, first, corrected)]);
    await publish([enrolled(mistaken)]);
    await publish([corrected]);
    await publish([first, withdrew(mistaken)]);
    expect(await trainingIn(worker)).toEqual([]);
    expect(await archivePdfText(worker)).not.toContain(course.title);
  });

  it('lets a registration whose only enrolment was voided with its results be voided', async () => {
    const worker = await registered();
    const mistaken = enrolment(worker, randomUUID(), courseFacts('焊工培训班'));
    const result = assessed(mistaken, 80, 3);
    await publish([enrolled(mistaken), result]);
    expect((await voidRegistration(worker)).status).toBe(409);
    await publish([voided(mistaken, result)]);
    expect((await voidRegistration(worker)).status).toBe(200);
  });
});
