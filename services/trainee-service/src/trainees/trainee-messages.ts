import { ActivationCodeIssuedV1, currentSchemaVersion, PersonalDataErasedV1, TRAINEE_TOPIC, TraineeRegisteredV2 } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';
import { integrationMessage, OutboxMessage, RecordedEvent } from '@skills/event-sourcing';
import { TraineeEvent } from './trainee.aggregate';

/**
 * What other contexts learn of a trainee: never the personal data, not even sealed; only the masked
 * name (张**) that public certificate verification shows and the registering organisation (related to
 * the trainee everywhere), both known only while registering.
 */
export function traineeIntegrationEvents(events: RecordedEvent<TraineeEvent>[], registration?: { nameMasked: string; registeredBy: string | null }): OutboxMessage[] {
  return events.map((event) => {
    switch (event.type) {
      case 'TraineeRegistered': {
        const { traineeId, regionCode, birthDate, gender, categories, registeredOn } = event.data;
        const payload: TraineeRegisteredV2 = {
          traineeId,
          nameMasked: registration?.nameMasked ?? '*',
          regionCode,
          birthDate,
          gender,
          categories,
          registeredOn,
          registeredBy: registration?.registeredBy ?? null,
        };
        return integrationMessage(TRAINEE_TOPIC, traineeId, event, event.type, payload, registeredOn, currentSchemaVersion(event.type));
      }
      case 'PersonalDataErased': {
        const payload: PersonalDataErasedV1 = { traineeId: event.data.traineeId, erasedOn: event.data.erasedOn };
        return integrationMessage(TRAINEE_TOPIC, event.data.traineeId, event, event.type, payload, event.data.erasedOn);
      }
      case 'ActivationCodeIssued': {
        const { traineeId, codeHash, expiresAt, issuedOn } = event.data;
        const payload: ActivationCodeIssuedV1 = { traineeId, codeHash, expiresAt, issuedOn };
        return integrationMessage(TRAINEE_TOPIC, traineeId, event, event.type, payload, issuedOn);
      }
      default:
        return assertNever(event);
    }
  });
}
