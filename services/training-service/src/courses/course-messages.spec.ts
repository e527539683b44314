import { CourseFactsV1, TRAINING_TOPIC, TrainingIntegrationEvent, upcast } from '@skills/contracts';
import { RecordedEvent } from '@skills/event-sourcing';
import { Course, courseAggregate, CourseEvent, CourseScheduled } from './course.aggregate';
import { courseIntegrationEvents } from './course-messages';

const scheduled: CourseScheduled = {
  type: 'CourseScheduled',
  data: {
    courseId: 'c-1',
    providerId: 'p-1',
    providerCreditCode: '91430200MA4L00001P',
    providerRegionCode: '430200',
    title: '焊工（中级）',
    occupationCode: '6-18-02-04',
    occupationEdition: '2015',
    kind: 'skill',
    targetLevel: 'intermediate',
    capacity: 40,
    startDate: '2019-03-01',
    endDate: '2019-05-31',
  },
};

const facts: CourseFactsV1 = {
  title: '焊工（中级）',
  providerId: 'p-1',
  providerCreditCode: '91430200MA4L00001P',
  providerRegionCode: '430200',
  occupationCode: '6-18-02-04',
  occupationEdition: '2015',
  kind: 'skill',
  endDate: '2019-05-31',
};

let version = 0;
const recorded = (event: CourseEvent): RecordedEvent<CourseEvent> => ({
  ...event,
  eventId: `ev-${++version}`,
  streamId: 'course-c-1',
  streamVersion: version,
  schemaVersion: 1,
  position: { transactionId: '1', globalPosition: String(version) },
  metadata: { correlationId: 'corr-1' },
  recordedAt: '2025-03-03T01:00:00.000Z',
});

/** The envelopes the course publishes for these events, in the state after them. */
function publish(...events: CourseEvent[]) {
  const state = events.reduce<Course>(courseAggregate.evolve, courseAggregate.initialState());
  return courseIntegrationEvents(events.map(recorded), state).map((message) => {
    expect(message).toMatchObject({ topic: TRAINING_TOPIC, key: 'c-1' });
    return message.envelope as TrainingIntegrationEvent;
  });
}

describe('the course as other contexts see it', () => {
  const enrolled: CourseEvent = { type: 'TraineeEnrolled', data: { enrollmentId: 'e-1', courseId: 'c-1', traineeId: 't-1', enrolledOn: '2019-03-02' } };
  const assessed: CourseEvent = {
    type: 'AssessmentRecorded',
    data: { assessmentId: 'a-2', enrollmentId: 'e-1', courseId: 'c-1', traineeId: 't-1', passed: true, score: 86.5, assessedOn: '2019-05-31', corrects: 'a-1' },
  };
  const withdrawn: CourseEvent = { type: 'EnrollmentWithdrawn', data: { enrollmentId: 'e-1', courseId: 'c-1', traineeId: 't-1', withdrawnOn: '2019-05-31' } };

  it('publishes CourseScheduled at schema v2 with the occupation classification edition, dated by the course start', () => {
    const [message] = publish(scheduled);
    expect(message).toMatchObject({ type: 'CourseScheduled', schemaVersion: 2, aggregateId: 'c-1', aggregateVersion: 1, occurredAt: '2019-03-01', correlationId: 'corr-1' });
    // The provider's region travels with the facts of each enrolment and result (CourseFactsV1), not on CourseScheduled.
    const { providerRegionCode: _providerRegionCode, ...published } = scheduled.data;
    expect(message.payload).toEqual(published);
    // Already the newest shape: a consumer's upcast leaves it as it is.
    expect(upcast(message)).toBe(message);
  });

  it('leaves optional course fields out rather than sending them empty', () => {
    const { targetLevel: _targetLevel, ...plain } = scheduled.data;
    const [message] = publish({ type: 'CourseScheduled', data: plain });
    expect(message.payload).not.toHaveProperty('targetLevel');
    expect(message.payload).not.toHaveProperty('sponsorEmployerId');
  });

  it('carries the course facts on an enrolment, a result (naming the one it corrects) and a withdrawal, each dated by its business date', () => {
    const [, enrolment, result, withdrawal] = publish(scheduled, enrolled, assessed, withdrawn);
    expect(enrolment).toMatchObject({ type: 'TraineeEnrolled', schemaVersion: 1, occurredAt: '2019-03-02' });
    expect(enrolment.payload).toEqual({ ...enrolled.data, course: facts });
    expect(result).toMatchObject({ type: 'AssessmentRecorded', schemaVersion: 1, occurredAt: '2019-05-31' });
    expect(result.payload).toEqual({ ...assessed.data, course: facts });
    expect(withdrawal).toMatchObject({ type: 'EnrollmentWithdrawn', schemaVersion: 1, occurredAt: '2019-05-31' });
    expect(withdrawal.payload).toEqual({ ...withdrawn.data, course: facts });
  });

  it("publishes the withdrawal of a voided registration's enrolment as any withdrawal: its reason stays in training's log", () => {
    const voided: CourseEvent = { type: 'EnrollmentWithdrawn', data: { ...withdrawn.data, withdrawnOn: '2019-03-02', reason: 'registration_voided' } };
    const [, , withdrawal] = publish(scheduled, enrolled, voided);
    expect(withdrawal).toMatchObject({ type: 'EnrollmentWithdrawn', schemaVersion: 1, occurredAt: '2019-03-02' });
    expect(withdrawal.payload).toEqual({ enrollmentId: 'e-1', courseId: 'c-1', traineeId: 't-1', withdrawnOn: '2019-03-02', course: facts });
  });

  it("leaves the provider's region out of the course facts of a course scheduled before it was stamped", () => {
    const { providerRegionCode: _providerRegionCode, ...older } = scheduled.data;
    const [, enrolment] = publish({ type: 'CourseScheduled', data: older }, enrolled);
    const { providerRegionCode: _region, ...olderFacts } = facts;
    expect(enrolment.payload).toEqual({ ...enrolled.data, course: olderFacts });
  });

  it('reuses the domain event id, so a replay never publishes a fact twice', () => {
    const messages = publish(scheduled, enrolled);
    expect(messages.map((message) => message.eventId)).toEqual([`ev-${version - 1}`, `ev-${version}`]);
  });
});
