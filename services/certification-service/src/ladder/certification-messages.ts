import { CERTIFICATION_TOPIC, CertificateRevokedV1, CertificateVoidedV1, LevelCertifiedV1 } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';
import { DecidedEvent, integrationMessage, OutboxMessage } from '@skills/event-sourcing';
import { LadderEvent } from './ladder.aggregate';

/** Keyed by trainee, so one worker's certificates, revocations and voids reach every consumer in order. */
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
          ...(data.recording ? { recording: data.recording } : {}),
        };
        return integrationMessage(CERTIFICATION_TOPIC, data.traineeId, event, event.type, payload, data.certifiedOn);
      }
      case 'CertificateRevoked': {
        const payload: CertificateRevokedV1 = event.data;
        return integrationMessage(CERTIFICATION_TOPIC, event.data.traineeId, event, event.type, payload, event.data.revokedOn);
      }
      case 'CertificateVoided': {
        // The reason stays in this service's log: consumers only forget the certificate.
        const { reason: _reason, ...payload } = event.data;
        const voided: CertificateVoidedV1 = payload;
        return integrationMessage(CERTIFICATION_TOPIC, event.data.traineeId, event, event.type, voided, event.data.voidedOn);
      }
      default:
        return assertNever(event);
    }
  });
}
