// Facts of the statistics specs, as training-, certification-, placement- and trainee-service publish
// them (libs/contracts), each chosen so that one rule of domain.md section 6 shows in the figures. Every
// expected figure of statistics.int-spec.ts is counted by hand from the table in `statisticsScenario`.
import {
  AssessmentRecordedV1,
  CERTIFICATION_TOPIC,
  CertificateRevokedV1,
  CertificateVoidedV1,
  CourseFactsV1,
  EmploymentVoidedV1,
  EnrollmentVoidedV1,
  LevelCertifiedV1,
  PLACEMENT_TOPIC,
  ProviderRegisteredV1,
  TraineeHiredV1,
  TRAINING_TOPIC,
} from '@skills/contracts';
import { fact, Fact, testCreditCode, traineeRegisteredFact } from '@skills/testing';
import { randomUUID } from 'node:crypto';

/** Organisations and their regions: Zhuzhou (430200) districts 430202 and 430203, Changsha (430100) 430102, all in Hunan (430000). */
export function organisations() {
  return {
    schoolZhuzhou: { id: randomUUID(), creditCode: testCreditCode(7301), regionCode: '430202' },
    schoolChangsha: { id: randomUUID(), creditCode: testCreditCode(7302), regionCode: '430102' },
    evaluatorZhuzhou: { id: randomUUID(), creditCode: testCreditCode(7303), regionCode: '430203' },
    evaluatorChangsha: { id: randomUUID(), creditCode: testCreditCode(7304), regionCode: '430102' },
    employerZhuzhou: { id: randomUUID(), creditCode: testCreditCode(7305), regionCode: '430202' },
    employerChangsha: { id: randomUUID(), creditCode: testCreditCode(7306), regionCode: '430102' },
  };
}
type Organisation = ReturnType<typeof organisations>[keyof ReturnType<typeof organisations>];

export const WELDER = '6-18-02-04';
export const ELECTRICIAN = '6-31-01-03';

export interface Course {
  id: string;
  title: string;
  school: Organisation;
  occupationCode: string;
  endDate: string;
}

export function providerRegistered(school: Organisation): Fact {
  const payload: ProviderRegisteredV1 = { providerId: school.id, name: '株洲焊接学校', creditCode: school.creditCode, regionCode: school.regionCode };
  return fact(TRAINING_TOPIC, 'ProviderRegistered', payload, { key: school.id });
}

/** `stampRegion: false`: a message published before results carried the provider's region (the replica answers). */
export function result(traineeId: string, course: Course, assessedOn: string, passed: boolean, options: { enrollmentId?: string; version?: number; stampRegion?: boolean } = {}): Fact {
  const facts: CourseFactsV1 = {
    title: course.title,
    providerId: course.school.id,
    providerCreditCode: course.school.creditCode,
    occupationCode: course.occupationCode,
    occupationEdition: '2022',
    kind: 'skill',
    endDate: course.endDate,
    ...(options.stampRegion === false ? {} : { providerRegionCode: course.school.regionCode }),
  };
  const payload: AssessmentRecordedV1 = {
    assessmentId: randomUUID(),
    enrollmentId: options.enrollmentId ?? randomUUID(),
    courseId: course.id,
    traineeId,
    passed,
    score: passed ? 80 : 40,
    assessedOn,
    course: facts,
  };
  return fact(TRAINING_TOPIC, 'AssessmentRecorded', payload, { key: course.id, aggregateVersion: options.version ?? 3, occurredAt: assessedOn });
}

let serial = 0;

export function certified(traineeId: string, evaluator: Organisation, occupationCode: string, level: LevelCertifiedV1['level'], certifiedOn: string, route: LevelCertifiedV1['route'] = 'assessment'): Fact & { certificateNumber: string } {
  const certificateNumber = `S7301430202${certifiedOn.slice(2, 4)}4${String(++serial).padStart(6, '0')}`;
  const payload: LevelCertifiedV1 = {
    certificateNumber,
    traineeId,
    occupationCode,
    level,
    previousLevel: null,
    route,
    evaluatorId: evaluator.id,
    evaluatorName: '评价机构',
    evaluatorCreditCode: evaluator.creditCode,
    evaluatorRegionCode: evaluator.regionCode,
    certifiedOn,
  };
  return { ...fact(CERTIFICATION_TOPIC, 'LevelCertified', payload, { key: traineeId, occurredAt: certifiedOn }), certificateNumber };
}

export function revoked(traineeId: string, certificate: { certificateNumber: string }, occupationCode: string, revokedOn: string): Fact {
  const payload: CertificateRevokedV1 = { certificateNumber: certificate.certificateNumber, traineeId, occupationCode, revokedLevel: 'senior', levelAfter: null, reason: '材料造假', revokedOn };
  return fact(CERTIFICATION_TOPIC, 'CertificateRevoked', payload, { key: traineeId, occurredAt: revokedOn });
}

/** `certificate` voided (recorded in error); `recording`: the recording of its number voided, absent for the first. */
export function voided(traineeId: string, certificate: { certificateNumber: string }, occupationCode: string, voidedOn: string, levelAfter: LevelCertifiedV1['level'] | null, recording?: number): Fact {
  const payload: CertificateVoidedV1 = { certificateNumber: certificate.certificateNumber, traineeId, occupationCode, voidedLevel: 'senior', levelAfter, evaluatorId: randomUUID(), evaluatorHoldsOthers: false, voidedOn, ...(recording ? { recording } : {}) };
  return fact(CERTIFICATION_TOPIC, 'CertificateVoided', payload, { key: traineeId, occurredAt: voidedOn });
}

export function hired(traineeId: string, employer: Organisation, startDate: string, monthlyWage: number, occupationCode = WELDER): Fact {
  const payload: TraineeHiredV1 = {
    employmentId: randomUUID(),
    placementId: randomUUID(),
    traineeId,
    employerId: employer.id,
    employerCreditCode: employer.creditCode,
    employerIndustryCode: 'C34',
    industryCode: 'C34',
    occupationCode,
    // The placement's region differs from the employer's on purpose: hires count by the employer's.
    regionCode: '110105',
    employerRegionCode: employer.regionCode,
    startDate,
    monthlyWage,
  };
  return fact(PLACEMENT_TOPIC, 'TraineeHired', payload, { key: traineeId, occurredAt: startDate });
}

/** The hire of `hire` (a TraineeHired of `hired`) voided (recorded in error), as placement-service publishes it. */
export function hireVoided(hire: Fact, voidedOn: string): Fact {
  const { monthlyWage: _wage, ...hired } = hire.envelope.payload as TraineeHiredV1;
  const payload: EmploymentVoidedV1 = { ...hired, voidedOn };
  return fact(PLACEMENT_TOPIC, 'EmploymentVoided', payload, { key: hired.traineeId, occurredAt: voidedOn });
}

/** The enrolment of `results` (`result`'s, all of one enrolment) voided (recorded in error) with them, as training-service publishes it. */
export function enrollmentVoided(results: Fact[], voidedOn: string): Fact {
  const recorded = results.map((each) => each.envelope.payload as AssessmentRecordedV1);
  const { enrollmentId, courseId, traineeId, course } = recorded[0];
  const payload: EnrollmentVoidedV1 = { enrollmentId, courseId, traineeId, assessmentIds: recorded.map((each) => each.assessmentId), voidedOn, course };
  return fact(TRAINING_TOPIC, 'EnrollmentVoided', payload, { key: courseId, aggregateVersion: 9, occurredAt: voidedOn });
}

/**
 * The people (t1…t10) and what happened to them in 2025; Q3 is July to September.
 *
 * | who | categories | training (provider's region) | certificates (evaluator's region) | hires (employer's region, wage) |
 * |---|---|---|---|---|
 * | t1 | rural_migrant | welding 430202 07-10 pass; electrics 430102 09-05 pass | | 430202 08-20 7000 |
 * | t2 | poverty_registered, rural_migrant | welding 430202 07-10 fail, corrected to pass 07-20 | | 430202 12-01 6000 |
 * | t3 | | welding 430202 08-01 fail (message without region: the replica's) | | 430202 09-01 6500 |
 * | t4 | | advanced welding 430202 10-02 pass | | 430202 08-05 5000 |
 * | t5 | | | welder senior 430203 08-15; electrician technician 430102 09-01 (exceptional) | 430202 09-10 9000 |
 * | t6 | | | welder intermediate 430203 07-05 | 430102 08-01 6000 |
 * | t7 | | | welder senior 430203 06-20, recorded after Q2 was read (backdated) | 430202 07-15 8000 |
 * | t8 | | | welder senior 430203 07-01, revoked 09-20 | 430202 09-25 7500 |
 * | t9, t10 | | | | 430202 07-20 5500, 09-30 8000 |
 */
export function statisticsScenario() {
  const org = organisations();
  const t = Array.from({ length: 11 }, () => randomUUID());
  const welding: Course = { id: randomUUID(), title: '焊工（中级）2025', school: org.schoolZhuzhou, occupationCode: WELDER, endDate: '2025-07-31' };
  const advancedWelding: Course = { id: randomUUID(), title: '焊工（高级）2025', school: org.schoolZhuzhou, occupationCode: WELDER, endDate: '2025-10-20' };
  const electrics: Course = { id: randomUUID(), title: '电工（初级）2025', school: org.schoolChangsha, occupationCode: ELECTRICIAN, endDate: '2025-09-10' };
  const corrected = randomUUID();
  const t8Senior = certified(t[8], org.evaluatorZhuzhou, WELDER, 'senior', '2025-07-01');
  const facts: Fact[] = [
    providerRegistered(org.schoolZhuzhou),
    providerRegistered(org.schoolChangsha),
    traineeRegisteredFact(t[1], { categories: ['rural_migrant'] }),
    traineeRegisteredFact(t[2], { categories: ['poverty_registered', 'rural_migrant'] }),
    result(t[1], welding, '2025-07-10', true),
    result(t[1], electrics, '2025-09-05', true),
    result(t[2], welding, '2025-07-10', false, { enrollmentId: corrected, version: 3 }),
    result(t[2], welding, '2025-07-20', true, { enrollmentId: corrected, version: 4 }),
    result(t[3], welding, '2025-08-01', false, { stampRegion: false }),
    result(t[4], advancedWelding, '2025-10-02', true),
    certified(t[5], org.evaluatorZhuzhou, WELDER, 'senior', '2025-08-15'),
    certified(t[5], org.evaluatorChangsha, ELECTRICIAN, 'technician', '2025-09-01', 'exceptional'),
    certified(t[6], org.evaluatorZhuzhou, WELDER, 'intermediate', '2025-07-05'),
    t8Senior,
    revoked(t[8], t8Senior, WELDER, '2025-09-20'),
    hired(t[1], org.employerZhuzhou, '2025-08-20', 7000),
    hired(t[2], org.employerZhuzhou, '2025-12-01', 6000),
    hired(t[3], org.employerZhuzhou, '2025-09-01', 6500),
    hired(t[4], org.employerZhuzhou, '2025-08-05', 5000),
    hired(t[5], org.employerZhuzhou, '2025-09-10', 9000),
    hired(t[6], org.employerChangsha, '2025-08-01', 6000),
    hired(t[7], org.employerZhuzhou, '2025-07-15', 8000),
    hired(t[8], org.employerZhuzhou, '2025-09-25', 7500),
    hired(t[9], org.employerZhuzhou, '2025-07-20', 5500),
    hired(t[10], org.employerZhuzhou, '2025-09-30', 8000),
  ];
  const backdated = certified(t[7], org.evaluatorZhuzhou, WELDER, 'senior', '2025-06-20');
  return { org, t, courses: { welding, advancedWelding, electrics }, facts, backdated };
}
