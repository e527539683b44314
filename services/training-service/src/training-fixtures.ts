// Training-service's own events as tests give them (apiSpec `given`): a provider, its courses, enrolments.
import { stream } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { CourseScheduled } from './courses/course.aggregate';

const PROVIDER_CREDIT_CODE = '91430200MA4L00001P';

/** A welding course of three seats, March to May 2021, of a provider of its own, with `overrides`. */
export const scheduledCourse = (overrides: Partial<CourseScheduled['data']> = {}): CourseScheduled => ({
  type: 'CourseScheduled',
  data: {
    courseId: randomUUID(),
    providerId: randomUUID(),
    providerCreditCode: PROVIDER_CREDIT_CODE,
    title: '焊工（中级）培训班',
    occupationCode: '6-18-02-04',
    occupationEdition: '2022',
    kind: 'skill',
    capacity: 3,
    startDate: '2021-03-01',
    endDate: '2021-05-31',
    ...overrides,
  },
});

export const enrolled = (scheduled: CourseScheduled, traineeId: string, enrolledOn = '2021-03-01') => ({
  type: 'TraineeEnrolled',
  data: { enrollmentId: randomUUID(), courseId: scheduled.data.courseId, traineeId, enrolledOn },
});

export const courseStream = (scheduled: CourseScheduled, ...more: { type: string; data: unknown }[]) => stream(`course-${scheduled.data.courseId}`, scheduled, ...more);

/** A provider of Zhuzhou (430200), as its own stream holds it. */
export const providerStream = (providerId: string) =>
  stream(`provider-${providerId}`, { type: 'ProviderRegistered', data: { providerId, name: '学校', creditCode: PROVIDER_CREDIT_CODE, regionCode: '430200' } });
