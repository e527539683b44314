// Placement-service's own events as tests give them (apiSpec `given`): an employer and its placements.
import { stream } from '@skills/testing';
import { randomUUID } from 'node:crypto';
import { PlacementPosted } from './placements/placement.aggregate';

export const EMPLOYER_CREDIT_CODE = '91430200MA4L00001P';

/** The employer's registration, as its own stream holds it. */
export const employerStream = (employerId: string = randomUUID()) =>
  stream(`employer-${employerId}`, { type: 'EmployerRegistered', data: { employerId, name: '株洲焊接厂', creditCode: EMPLOYER_CREDIT_CODE, industryCode: 'C37', regionCode: '430200' } });

/** A welder's placement of the employer (7,000–9,000 a month, two openings), with `overrides`. */
export const postedPlacement = (overrides: Partial<PlacementPosted['data']> = {}): PlacementPosted => ({
  type: 'PlacementPosted',
  data: {
    placementId: randomUUID(),
    employerId: randomUUID(),
    employerCreditCode: EMPLOYER_CREDIT_CODE,
    employerIndustryCode: 'C37',
    title: '铆焊工',
    occupationCode: '6-18-02-04',
    industryCode: 'C37',
    openings: 2,
    wageMin: 7000,
    wageMax: 9000,
    regionCode: '430200',
    postedOn: '2021-06-01',
    ...overrides,
  },
});

export const placementStream = (placement: PlacementPosted, ...more: { type: string; data: unknown }[]) => stream(`placement-${placement.data.placementId}`, placement, ...more);
