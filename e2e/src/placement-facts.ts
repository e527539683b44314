// Placement facts as placement-service publishes them (libs/contracts), for specs that need an
// employment before placement-service exists: handed to the bus the services are on.
import { PLACEMENT_TOPIC, TraineeHiredV1 } from '@skills/contracts';
import { fact, publishFacts, TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';

export function hireMessage(hire: Pick<TraineeHiredV1, 'traineeId' | 'employerCreditCode' | 'startDate'> & Partial<TraineeHiredV1>) {
  const employmentId = hire.employmentId ?? randomUUID();
  const payload: TraineeHiredV1 = {
    employmentId,
    placementId: randomUUID(),
    employerId: randomUUID(),
    employerIndustryCode: 'C37',
    industryCode: 'C37',
    occupationCode: '6-18-02-04',
    regionCode: '430200',
    monthlyWage: 8000,
    ...hire,
  };
  return fact(PLACEMENT_TOPIC, 'TraineeHired', payload, { key: employmentId, occurredAt: hire.startDate });
}

/** Publishes through the host's own bus (the in-process transport, or Kafka), as placement-service would. */
export async function publishHire(host: TestHost, hire: Parameters<typeof hireMessage>[0]): Promise<void> {
  await publishFacts(host, [hireMessage(hire)]);
}
