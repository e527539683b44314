// The archive and a course scheduled with a mistake whose school corrected its title (CourseCorrected): every
// entry of the course, of every trainee, reads the corrected title, in the archive and its PDF; the correction of
// the highest course version stands whatever the order its messages arrive in (an entry parked and retried after
// the correction, an older correction retried after a newer entry), a message delivered again changes nothing,
// and a correction of what the archive does not keep (dates, capacity) changes nothing either.
import { AssessmentRecordedV1, CourseCorrectedV1, CourseFactsV1, TraineeEnrolledV1, TRAINING_TOPIC } from '@skills/contracts';
import { fact, Fact, publishFacts } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { archiveVoidsSpecHost, deliveredAgain } from './archive-voids-spec-host';

const courseFacts = (title: string): CourseFactsV1 => ({ title, providerId: randomUUID(), providerCreditCode: '91430200MA4L000000', occupationCode: '6-18-02-04', occupationEdition: '2022', kind: 'skill', endDate: '2022-06-30' });

const enrolled = (traineeId: string, courseId: string, course: CourseFactsV1, aggregateVersion: number): Fact => {
  const payload: TraineeEnrolledV1 = { enrollmentId: randomUUID(), courseId, traineeId, enrolledOn: '2022-03-01', course };
  return fact(TRAINING_TOPIC, 'TraineeEnrolled', payload, { key: courseId, aggregateVersion });
};
const assessed = (enrolment: Fact, aggregateVersion: number): Fact => {
  const { enrollmentId, courseId, traineeId, course } = enrolment.envelope.payload as TraineeEnrolledV1;
  const payload: AssessmentRecordedV1 = { enrollmentId, courseId, traineeId, course, assessmentId: randomUUID(), passed: true, score: 88, assessedOn: '2022-04-01' };
  return fact(TRAINING_TOPIC, 'AssessmentRecorded', payload, { key: courseId, aggregateVersion });
};
const corrected = (courseId: string, course: CourseFactsV1, before: CourseCorrectedV1['before'], after: CourseCorrectedV1['after'], aggregateVersion: number): Fact => {
  const payload: CourseCorrectedV1 = { courseId, before, after, correctedOn: '2022-09-01', course: { ...course, ...(after.title ? { title: after.title } : {}), ...(after.endDate ? { endDate: after.endDate } : {}) } };
  return fact(TRAINING_TOPIC, 'CourseCorrected', payload, { key: courseId, aggregateVersion });
};

describe('the archive and a course whose title its school corrected', () => {
  const archive = archiveVoidsSpecHost({ name: '赵六', numbersFrom: 7800 });
  const { registered } = archive;
  const publish = (facts: Fact[]) => publishFacts(archive.service().host, facts);
  const titlesIn = async (traineeId: string) =>
    ((await archive.entriesOf(traineeId)) as Array<{ kind: string; context: string; courseTitle: string; courseId: string }>)
      .filter((entry) => entry.context === 'training')
      .map(({ kind, courseTitle, courseId }) => ({ kind, courseTitle, courseId }));

  it("shows the corrected title on every trainee's entries of the course and in the PDF, another course's as it was; delivered again or a correction of dates alone, nothing changes", async () => {
    const [first, second] = [await registered(), await registered()];
    const [course, other] = [randomUUID(), randomUUID()];
    const [facts, otherFacts] = [courseFacts('电焊工初级培训班'), courseFacts('安全生产法规')];
    const firstEnrolled = enrolled(first, course, facts, 2);
    await publish([firstEnrolled, enrolled(second, course, facts, 3), assessed(firstEnrolled, 4), enrolled(first, other, otherFacts, 2)]);
    expect(await titlesIn(first)).toEqual([
      { kind: 'enrolled', courseTitle: facts.title, courseId: course },
      { kind: 'enrolled', courseTitle: otherFacts.title, courseId: other },
      { kind: 'assessed', courseTitle: facts.title, courseId: course },
    ]);

    const correction = corrected(course, facts, { title: facts.title }, { title: '电焊工中级培训班' }, 5);
    await publish([correction]);
    expect(await titlesIn(first)).toEqual([
      { kind: 'enrolled', courseTitle: '电焊工中级培训班', courseId: course },
      { kind: 'enrolled', courseTitle: otherFacts.title, courseId: other },
      { kind: 'assessed', courseTitle: '电焊工中级培训班', courseId: course },
    ]);
    expect(await titlesIn(second)).toEqual([{ kind: 'enrolled', courseTitle: '电焊工中级培训班', courseId: course }]);
    const text = await archive.archivePdfText(first);
    expect(text).toContain('电焊工中级培训班');
    expect(text).not.toContain(facts.title);

    // Delivered again (the inbox's to drop; under a new id, the course version's), and a correction of the end date alone.
    await publish([correction, deliveredAgain(correction), corrected(course, facts, { endDate: '2022-06-30' }, { endDate: '2022-07-31' }, 6)]);
    expect(await titlesIn(second)).toEqual([{ kind: 'enrolled', courseTitle: '电焊工中级培训班', courseId: course }]);
  });

  it('keeps the title of the highest course version: an entry retried after the correction takes it, an older correction retried after a newer entry does not undo it', async () => {
    const [late, early] = [await registered(), await registered()];
    const course = randomUUID();
    const facts = courseFacts('钳工培训班');
    // The correction (v5) arrives before an enrolment of v2 (parked, retried): the entry reads the corrected title.
    await publish([corrected(course, facts, { title: facts.title }, { title: '钳工（中级）培训班' }, 5), enrolled(late, course, facts, 2)]);
    expect(await titlesIn(late)).toEqual([{ kind: 'enrolled', courseTitle: '钳工（中级）培训班', courseId: course }]);
    // An enrolment of v8 carries the title of a later correction (v7) not yet seen here: the older correction stands under it.
    await publish([enrolled(early, course, { ...facts, title: '钳工（高级）培训班' }, 8)]);
    expect(await titlesIn(early)).toEqual([{ kind: 'enrolled', courseTitle: '钳工（高级）培训班', courseId: course }]);
    await publish([corrected(course, facts, { title: '钳工（中级）培训班' }, { title: '钳工（高级）培训班' }, 7)]);
    expect(await titlesIn(late)).toEqual([{ kind: 'enrolled', courseTitle: '钳工（高级）培训班', courseId: course }]);
    expect(await titlesIn(early)).toEqual([{ kind: 'enrolled', courseTitle: '钳工（高级）培训班', courseId: course }]);
  });
});
