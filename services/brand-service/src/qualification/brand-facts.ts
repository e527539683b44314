// Training results and employments as training- and placement-service publish them (libs/contracts),
// for the brand qualification specs: hundreds of people without hundreds of HTTP round trips, through
// the same bus and consumers as in production.
import { AssessmentRecordedV1, CourseFactsV1, EmploymentEndedV1, EmploymentVoidedV1, EnrollmentVoidedV1, PLACEMENT_TOPIC, TraineeHiredV1, TRAINING_TOPIC } from '@skills/contracts';
import { fact, Fact } from '@skills/testing';
import { randomUUID } from 'node:crypto';

export const WELDING: Omit<CourseFactsV1, 'providerCreditCode'> = { title: '铆焊工', providerId: randomUUID(), occupationCode: '6-18-02-04', occupationEdition: '2022', kind: 'skill' };

function envelope(topic: string, key: string, type: string, aggregateVersion: number, occurredAt: string, payload: unknown): Fact {
  return fact(topic, type, payload, { key, aggregateVersion, occurredAt });
}

export interface Result {
  traineeId: string;
  enrollmentId?: string;
  assessedOn: string;
  passed: boolean;
  /** Recording order in the course: a correction has a higher one. */
  version?: number;
  kind?: 'skill' | 'ethics_and_law';
  occupationCode?: string;
}

export function resultMessage(providerCreditCode: string, result: Result): Fact {
  const courseId = randomUUID();
  const payload: AssessmentRecordedV1 = {
    assessmentId: randomUUID(),
    enrollmentId: result.enrollmentId ?? randomUUID(),
    courseId,
    traineeId: result.traineeId,
    passed: result.passed,
    score: result.passed ? 80 : 40,
    assessedOn: result.assessedOn,
    course: { ...WELDING, providerCreditCode, kind: result.kind ?? 'skill', occupationCode: result.occupationCode ?? WELDING.occupationCode },
  };
  return envelope(TRAINING_TOPIC, courseId, 'AssessmentRecorded', result.version ?? 3, result.assessedOn, payload);
}

export interface Job {
  traineeId: string;
  employerIndustryCode: string;
  startDate: string;
  endDate?: string;
}

export function jobMessages(job: Job): Fact[] {
  const employmentId = randomUUID();
  const hired: TraineeHiredV1 = {
    employmentId,
    placementId: randomUUID(),
    traineeId: job.traineeId,
    employerId: randomUUID(),
    employerCreditCode: '91430200MA4L00001P',
    employerIndustryCode: job.employerIndustryCode,
    industryCode: job.employerIndustryCode,
    occupationCode: WELDING.occupationCode,
    regionCode: '430200',
    startDate: job.startDate,
    monthlyWage: 8000,
  };
  const messages = [envelope(PLACEMENT_TOPIC, job.traineeId, 'TraineeHired', 1, job.startDate, hired)];
  if (job.endDate) {
    const { placementId: _placement, regionCode: _region, monthlyWage: _wage, ...employment } = hired;
    const ended: EmploymentEndedV1 = { ...employment, endDate: job.endDate, reason: '合同期满' };
    messages.push(envelope(PLACEMENT_TOPIC, job.traineeId, 'EmploymentEnded', 2, job.endDate, ended));
  }
  return messages;
}

/** The hire of `hired` (a TraineeHired of jobMessages) voided on `voidedOn`, as placement-service publishes it: after its end, if any. */
export function employmentVoidedMessage(hired: Fact, voidedOn: string): Fact {
  const { monthlyWage: _wage, ...hire } = hired.envelope.payload as TraineeHiredV1;
  const payload: EmploymentVoidedV1 = { ...hire, voidedOn };
  return envelope(PLACEMENT_TOPIC, hire.traineeId, 'EmploymentVoided', 3, voidedOn, payload);
}

/** The enrolment of `results` (resultMessage's, all of one enrolment) voided with them on `voidedOn`, as training-service publishes it. */
export function enrollmentVoidedMessage(results: Fact[], voidedOn: string): Fact {
  const recorded = results.map((result) => result.envelope.payload as AssessmentRecordedV1);
  const { enrollmentId, courseId, traineeId, course } = recorded[0];
  const payload: EnrollmentVoidedV1 = { enrollmentId, courseId, traineeId, assessmentIds: recorded.map((result) => result.assessmentId), voidedOn, course };
  return envelope(TRAINING_TOPIC, courseId, 'EnrollmentVoided', 9, voidedOn, payload);
}
