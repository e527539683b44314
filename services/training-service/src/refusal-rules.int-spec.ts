// Every refusal rule of training's aggregates, provoked over HTTP on training-service alone: the past is
// given as the course's own events and as trainee facts from trainee-service's topic. The table is
// checked against the rules the aggregates' source can raise, so a rule added without a scenario fails.
import { ageOnDate, fixedClock } from '@skills/domain-kernel';
import { TraineeAges } from '@skills/service-runtime';
import { TRAINEE_TOPIC } from '@skills/contracts';
import { ApiSpec, bearer, fact, refusalRulesOf, ServiceSpec, startServiceSpec, TestIssuer, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { courseStream, enrolled, providerStream, scheduledCourse } from './training-fixtures';
import { TrainingModule } from './training.module';

// "Today" for these specs: 2021-06-15 in China (the clock is fixed, so "in the future" is too).
const TODAY = '2021-06-15';
const clock = fixedClock('2021-06-15T02:00:00.000Z');

const course = scheduledCourse;
const scheduleBody = (overrides: Record<string, unknown>) => ({
  providerId: randomUUID(),
  title: '焊工（中级）培训班',
  occupationCode: '6-18-02-04',
  kind: 'skill',
  capacity: 3,
  startDate: '2021-03-01',
  endDate: '2021-05-31',
  ...overrides,
});

type Scenario = (spec: ApiSpec) => Promise<unknown>;

/**
 * Birth dates as trainee-service holds them, which it alone answers from (TraineeAges): this host has no
 * trainee-service, so the specs stand in for its answerer in this process (it tells an age, never the
 * date). A trainee not listed is one it knows nothing of.
 */
const birthDates = new Map<string, string>();
/** A trainee born on `birthDate`, registered with trainee-service. */
const bornOn = (birthDate: string) => {
  const trainee = randomUUID();
  birthDates.set(trainee, birthDate);
  return trainee;
};

let issuer: TestIssuer;
/** Every request goes as staff of the provider that owns the course (or is to own it). */
const staffOf = async (providerId: string) => bearer(await issuer.token({ role: 'school_staff', organisationId: providerId }));

/** One scenario per rule: the past, the request, the refusal (status and rule), nothing recorded. */
const scenarios: Record<string, Scenario> = {
  course_ends_before_it_starts: async (spec) => {
    const provider = randomUUID();
    await spec
      .given(providerStream(provider))
      .when('POST', '/api/v1/courses', scheduleBody({ providerId: provider, startDate: '2021-03-02', endDate: '2021-03-01' }), await staffOf(provider))
      .then(409, [], { rule: 'course_ends_before_it_starts' });
  },
  capacity_must_be_positive: async (spec) => {
    const provider = randomUUID();
    await spec
      .given(providerStream(provider))
      .when('POST', '/api/v1/courses', scheduleBody({ providerId: provider, capacity: 0 }), await staffOf(provider))
      .then(400, [], { rule: 'capacity_must_be_positive', errors: [{ field: 'capacity', rule: 'capacity_must_be_positive' }] });
  },
  already_enrolled: async (spec) => {
    const scheduled = course();
    const trainee = randomUUID();
    await spec
      .given(courseStream(scheduled, enrolled(scheduled, trainee)), traineeRegisteredFact(trainee))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: trainee, enrolledOn: '2021-03-02' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'already_enrolled' });
  },
  enrolled_after_course_end: async (spec) => {
    const scheduled = course();
    const trainee = randomUUID();
    await spec
      .given(courseStream(scheduled), traineeRegisteredFact(trainee))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: trainee, enrolledOn: '2021-06-01' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'enrolled_after_course_end', enrolledOn: '2021-06-01', endDate: '2021-05-31' });
  },
  course_full: async (spec) => {
    // The only seat is free now, but was held on enrolledOn by someone who withdrew later.
    const scheduled = course({ capacity: 1 });
    const [leaver, trainee] = [randomUUID(), randomUUID()];
    const seated = enrolled(scheduled, leaver, '2021-03-01');
    const left = { type: 'EnrollmentWithdrawn', data: { enrollmentId: seated.data.enrollmentId, courseId: scheduled.data.courseId, traineeId: leaver, withdrawnOn: '2021-03-10' } };
    await spec
      .given(courseStream(scheduled, seated, left), traineeRegisteredFact(trainee))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: trainee, enrolledOn: '2021-03-05' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'course_full', capacity: 1, enrolled: 1, fullOn: '2021-03-05' });
  },
  capacity_below_enrolments: async (spec) => {
    // A correction to one seat where two were held at once in March, though one of them withdrew since.
    const scheduled = course({ capacity: 2 });
    const [leaver, stayer] = [randomUUID(), randomUUID()];
    const seated = enrolled(scheduled, leaver, '2021-03-01');
    const left = { type: 'EnrollmentWithdrawn', data: { enrollmentId: seated.data.enrollmentId, courseId: scheduled.data.courseId, traineeId: leaver, withdrawnOn: '2021-03-10' } };
    await spec
      .given(courseStream(scheduled, seated, enrolled(scheduled, stayer, '2021-03-02'), left))
      .when('PATCH', `/api/v1/courses/${scheduled.data.courseId}`, { capacity: 1, reason: '名额录入错误' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'capacity_below_enrolments', field: 'capacity', capacity: 1, enrolled: 2, on: '2021-03-02' });
  },
  withdrawn_after_course_end: async (spec) => {
    const scheduled = course();
    const trainee = randomUUID();
    await spec
      .given(courseStream(scheduled, enrolled(scheduled, trainee)))
      .when('DELETE', `/api/v1/courses/${scheduled.data.courseId}/enrollments/${trainee}?withdrawnOn=2021-06-01`, undefined, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'withdrawn_after_course_end' });
  },
  withdrawn_before_enrolment: async (spec) => {
    const scheduled = course();
    const trainee = randomUUID();
    await spec
      .given(courseStream(scheduled, enrolled(scheduled, trainee, '2021-03-10')))
      .when('DELETE', `/api/v1/courses/${scheduled.data.courseId}/enrollments/${trainee}?withdrawnOn=2021-03-09`, undefined, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'withdrawn_before_enrolment' });
  },
  withdrawn_before_assessment: async (spec) => {
    const scheduled = course();
    const trainee = randomUUID();
    const enrolment = enrolled(scheduled, trainee, '2021-03-01');
    const result = {
      type: 'AssessmentRecorded',
      data: { assessmentId: randomUUID(), enrollmentId: enrolment.data.enrollmentId, courseId: scheduled.data.courseId, traineeId: trainee, passed: true, score: 80, assessedOn: '2021-04-20' },
    };
    await spec
      .given(courseStream(scheduled, enrolment, result))
      .when('DELETE', `/api/v1/courses/${scheduled.data.courseId}/enrollments/${trainee}?withdrawnOn=2021-04-20`, undefined, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'withdrawn_before_assessment', withdrawnOn: '2021-04-20', assessedOn: '2021-04-20' });
  },
  not_enrolled: async (spec) => {
    const scheduled = course();
    await spec
      .given(courseStream(scheduled))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/assessments`, { traineeId: randomUUID(), passed: true, score: 80, assessedOn: '2021-05-31' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'not_enrolled' });
  },
  assessed_before_course_start: async (spec) => {
    const scheduled = course();
    const trainee = randomUUID();
    await spec
      .given(courseStream(scheduled, enrolled(scheduled, trainee, '2021-02-20')))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/assessments`, { traineeId: trainee, passed: true, score: 80, assessedOn: '2021-02-28' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'assessed_before_course_start' });
  },
  assessed_before_enrolment: async (spec) => {
    const scheduled = course();
    const trainee = randomUUID();
    await spec
      .given(courseStream(scheduled, enrolled(scheduled, trainee, '2021-03-10')))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/assessments`, { traineeId: trainee, passed: true, score: 80, assessedOn: '2021-03-09' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'assessed_before_enrolment' });
  },
  enrolled_before_birth: async (spec) => {
    // The audit's case: a course of 1990, and a trainee born in 2015.
    const scheduled = course({ startDate: '1990-01-01', endDate: '1990-12-31' });
    const trainee = bornOn('2015-03-07');
    await spec
      .given(courseStream(scheduled), traineeRegisteredFact(trainee))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: trainee, enrolledOn: '1990-02-01' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'enrolled_before_birth', field: 'enrolledOn', enrolledOn: '1990-02-01' });
  },
  target_level_on_ethics_course: async (spec) => {
    const provider = randomUUID();
    await spec
      .given(providerStream(provider))
      .when('POST', '/api/v1/courses', scheduleBody({ providerId: provider, kind: 'ethics_and_law', targetLevel: 'junior' }), await staffOf(provider))
      .then(400, [], { rule: 'target_level_on_ethics_course', errors: [{ field: 'targetLevel', rule: 'target_level_on_ethics_course' }] });
  },
  target_level_appointed: async (spec) => {
    const provider = randomUUID();
    await spec
      .given(providerStream(provider))
      .when('POST', '/api/v1/courses', scheduleBody({ providerId: provider, targetLevel: 'chief_technician' }), await staffOf(provider))
      .then(400, [], { rule: 'target_level_appointed', errors: [{ field: 'targetLevel', rule: 'target_level_appointed' }] });
  },
  trainee_voided: async (spec) => {
    // Enrolled before training learnt of the void; the void, once learnt, withdrew the enrolment (no result).
    const scheduled = course();
    const trainee = randomUUID();
    await spec
      .given(courseStream(scheduled, enrolled(scheduled, trainee)), traineeRegisteredFact(trainee), fact(TRAINEE_TOPIC, 'TraineeRegistrationVoided', { traineeId: trainee, voidedOn: '2021-03-02' }, { key: trainee }))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/assessments`, { traineeId: trainee, passed: true, score: 90, assessedOn: '2021-03-01' }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'trainee_voided', traineeId: trainee });
  },
  assessment_changed: async (spec) => {
    const scheduled = course();
    const trainee = randomUUID();
    const enrolment = enrolled(scheduled, trainee);
    const standing = { assessmentId: randomUUID(), passed: false, score: 55, assessedOn: '2021-05-20' };
    await spec
      .given(courseStream(scheduled, enrolment, { type: 'AssessmentRecorded', data: { ...standing, enrollmentId: enrolment.data.enrollmentId, courseId: scheduled.data.courseId, traineeId: trainee } }))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/assessments`, { traineeId: trainee, passed: true, score: 90, assessedOn: '2021-05-31', corrects: null }, await staffOf(scheduled.data.providerId))
      .then(409, [], { rule: 'assessment_changed', standing });
  },
  date_in_future: async (spec) => {
    const scheduled = course({ endDate: '2021-12-31' });
    const trainee = randomUUID();
    await spec
      .given(courseStream(scheduled), traineeRegisteredFact(trainee))
      .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: trainee, enrolledOn: '2021-06-16' }, await staffOf(scheduled.data.providerId))
      .then(400, [], { rule: 'date_in_future', errors: [{ field: 'enrolledOn', rule: 'date_in_future' }] });
  },
};

describe('training: every refusal rule over HTTP', () => {
  let service: ServiceSpec;
  let spec: ApiSpec;

  beforeAll(async () => {
    service = await startServiceSpec({ modules: [TrainingModule], service: 'training', replicaWaitMs: 200, clock });
    ({ spec, issuer } = service);
    service.host.app.get(TraineeAges, { strict: false }).register({ ageOn: async (trainee, date) => (birthDates.has(trainee) ? ageOnDate(birthDates.get(trainee)!, date) : undefined) });
  });

  afterAll(() => service?.close());

  it("has a scenario for exactly the rules training's aggregates can raise", () => {
    expect(Object.keys(scenarios).sort()).toEqual(refusalRulesOf(path.join(__dirname)));
  });

  it.each(Object.keys(scenarios))('refuses by %s', async (rule) => {
    await scenarios[rule](spec);
  });

  describe('with the clock fixed at 2021-06-15 (a rule judged "today" uses the injected clock)', () => {
    it('dates an enrolment sent without a date on that day: accepted while the course runs', async () => {
      const scheduled = course({ endDate: '2021-12-31' });
      const trainee = randomUUID();
      await spec
        .given(courseStream(scheduled), traineeRegisteredFact(trainee))
        .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: trainee }, await staffOf(scheduled.data.providerId))
        .then(201, [{ type: 'TraineeEnrolled', data: { traineeId: trainee, enrolledOn: TODAY } }]);
    });

    it('refuses the same enrolment once "today" is after the course ended, judged on that day', async () => {
      const scheduled = course({ endDate: '2021-06-14' });
      const trainee = randomUUID();
      await spec
        .given(courseStream(scheduled), traineeRegisteredFact(trainee))
        .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: trainee }, await staffOf(scheduled.data.providerId))
        .then(409, [], { rule: 'enrolled_after_course_end', enrolledOn: TODAY, endDate: '2021-06-14' });
    });

    it('takes the day itself as not in the future, and the next day as in the future', async () => {
      const scheduled = course({ endDate: '2021-12-31' });
      const [first, second] = [randomUUID(), randomUUID()];
      await spec
        .given(courseStream(scheduled), traineeRegisteredFact(first), traineeRegisteredFact(second))
        .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: first, enrolledOn: TODAY }, await staffOf(scheduled.data.providerId))
        .then(201, [{ type: 'TraineeEnrolled', data: { enrolledOn: TODAY } }]);
      await spec
        .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: second, enrolledOn: '2021-06-16' }, await staffOf(scheduled.data.providerId))
        .then(400, [], { errors: [{ field: 'enrolledOn', rule: 'date_in_future' }] });
    });
  });

  describe('a date before the trainee was born (trainee-service tells the age on the day, never the birth date)', () => {
    it('enrols one born that day, refuses one born the next day, and the refusal names no birth date', async () => {
      const scheduled = course();
      const [bornThen, bornNextDay] = [bornOn('2021-03-10'), bornOn('2021-03-11')];
      await spec
        .given(courseStream(scheduled), traineeRegisteredFact(bornThen), traineeRegisteredFact(bornNextDay))
        .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: bornThen, enrolledOn: '2021-03-10' }, await staffOf(scheduled.data.providerId))
        .then(201, [{ type: 'TraineeEnrolled', data: { traineeId: bornThen, enrolledOn: '2021-03-10' } }]);
      const refused = await spec
        .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: bornNextDay, enrolledOn: '2021-03-10' }, await staffOf(scheduled.data.providerId))
        .then(409, [], { rule: 'enrolled_before_birth' });
      expect(JSON.stringify(refused.body)).not.toMatch(/2021-03-11|20210311/);
    });

    it('records no result dated before birth either: with no enrolment, the audit’s passing assessment of 1990 is not_enrolled', async () => {
      const scheduled = course({ startDate: '1990-01-01', endDate: '1990-12-31' });
      const trainee = bornOn('2015-03-07');
      await spec
        .given(courseStream(scheduled), traineeRegisteredFact(trainee))
        .when('POST', `/api/v1/courses/${scheduled.data.courseId}/enrollments`, { traineeId: trainee, enrolledOn: '1990-02-01' }, await staffOf(scheduled.data.providerId))
        .then(409, [], { rule: 'enrolled_before_birth' });
      await spec
        .when('POST', `/api/v1/courses/${scheduled.data.courseId}/assessments`, { traineeId: trainee, passed: true, score: 80, assessedOn: '1990-06-01' }, await staffOf(scheduled.data.providerId))
        .then(409, [], { rule: 'not_enrolled' });
    });
  });

  it('answers 404 from the pipeline for a course that was never scheduled, and records nothing', async () => {
    const missing = randomUUID();
    // No course, so no owner: staff of some provider asks.
    await spec
      .when('POST', `/api/v1/courses/${missing}/assessments`, { traineeId: randomUUID(), passed: true, score: 80, assessedOn: '2021-05-31' }, await staffOf(randomUUID()))
      .then(404, [], { entity: 'course', id: missing });
  });
});
