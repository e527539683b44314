import { CERTIFICATION_TOPIC, CertificateRevokedV1, LevelCertifiedV1 } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';
import { DecidedEvent, integrationMessage, OutboxMessage } from '@skills/event-sourcing';
import { LadderEvent } from './ladder.aggregate';

/** Keyed by trainee, so one worker's certificates and revocations reach every consumer in order. */
export function ladderIntegrationEvents(events: DecidedEvent<LadderEvent>[]): OutboxMessage[] {
  return events.map((event) => {
    switch (event.type) {
      case 'LevelCertified': {
        const data = event.data;
        const payload: LevelCertifiedV1 = {
          certificateNumber: data.certificateNumber,
          traineeId: data.traineeId,
          occupationCode: data.occupationCode,
          level: data.level,
          previousLevel: data.previousLevel,
          route: data.route,
          ...(data.legacyNumber ? { legacyNumber: true } : {}),
          evaluatorId: data.evaluatorId,
          evaluatorName: data.evaluatorName,
          evaluatorCreditCode: data.evaluatorCreditCode,
          ...(data.evaluatorRegionCode ? { evaluatorRegionCode: data.evaluatorRegionCode } : {}),
          certifiedOn: data.certifiedOn,
        };
        return integrationMessage(CERTIFICATION_TOPIC, data.traineeId, event, event.type, payload, data.certifiedOn);
      }
      case 'CertificateRevoked': {
        const payload: CertificateRevokedV1 = event.data;
        return integrationMessage(CERTIFICATION_TOPIC, event.data.traineeId, event, event.type, payload, event.data.revokedOn);
      }
      default:
        return assertNever(event);
    }
  });
}
