// Placement facts as placement-service publishes them (libs/contracts), for specs that need an
// employment before placement-service exists: handed to the bus the services are on.
import { PLACEMENT_TOPIC, TraineeHiredV1 } from '@skills/contracts';
import { MESSAGE_PUBLISHER } from '@skills/messaging';
import { MessagePublisher, OutboxMessage } from '@skills/event-sourcing';
import { TestHost } from '@skills/testing';
import { randomUUID } from 'node:crypto';

export function hireMessage(hire: Pick<TraineeHiredV1, 'traineeId' | 'employerCreditCode' | 'startDate'> & Partial<TraineeHiredV1>): OutboxMessage {
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
  return {
    topic: PLACEMENT_TOPIC,
    key: employmentId,
    envelope: {
      eventId: randomUUID(),
      type: 'TraineeHired',
      schemaVersion: 1,
      aggregateId: employmentId,
      aggregateVersion: 1,
      occurredAt: hire.startDate,
      recordedAt: new Date().toISOString(),
      correlationId: randomUUID(),
      payload,
    },
  };
}

/** Publishes through the host's own bus (the in-process transport, or Kafka), as placement-service would. */
export async function publishHire(host: TestHost, hire: Parameters<typeof hireMessage>[0]): Promise<void> {
  await host.app.get<MessagePublisher>(MESSAGE_PUBLISHER, { strict: false }).publish([hireMessage(hire)]);
}
