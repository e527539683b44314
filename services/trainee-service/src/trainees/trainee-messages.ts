import { ActivationCodeIssuedV2, currentSchemaVersion, PersonalDataErasedV1, TRAINEE_TOPIC, TraineeCorrectedV1, TraineeRegisteredV4, TraineeRegistrationVoidedV1 } from '@skills/contracts';
import { assertNever, workingAgeFrom } from '@skills/domain-kernel';
import { DecidedEvent, integrationMessage, OutboxMessage } from '@skills/event-sourcing';
import { TraineeEvent } from './trainee.aggregate';

/**
 * What the command knew in clear while it ran, for the one message that needs it: the masked name
 * (张**) that public certificate verification shows, and the birth date, of which only a minor's 16th
 * birthday leaves (TraineeRegisteredV4 says why each).
 */
export interface TraineeMessageFacts {
  nameMasked: string;
  birthDate?: string;
}

/**
 * What other contexts learn of a trainee: never the personal data, not even sealed; only what a rule
 * of theirs needs, and the registering organisation (related to the trainee everywhere).
 */
export function traineeIntegrationEvents(events: DecidedEvent<TraineeEvent>[], facts?: TraineeMessageFacts): OutboxMessage[] {
  return events.map((event) => {
    switch (event.type) {
      case 'TraineeRegistered': {
        const { traineeId, categories, registeredOn } = event.data;
        const payload: TraineeRegisteredV4 = {
          traineeId,
          nameMasked: facts?.nameMasked ?? '*',
          categories,
          registeredOn,
          registeredBy: event.data.registeredBy ?? null,
          workingAgeFrom: facts?.birthDate ? workingAgeFrom(facts.birthDate, registeredOn) : null,
        };
        return integrationMessage(TRAINEE_TOPIC, traineeId, event, event.type, payload, registeredOn, currentSchemaVersion(event.type));
      }
      case 'TraineeCorrected': {
        const payload: TraineeCorrectedV1 = { traineeId: event.data.traineeId, nameMasked: facts?.nameMasked ?? '*', correctedOn: event.data.correctedOn };
        return integrationMessage(TRAINEE_TOPIC, event.data.traineeId, event, event.type, payload, event.data.correctedOn);
      }
      case 'TraineeRegistrationVoided': {
        const payload: TraineeRegistrationVoidedV1 = { traineeId: event.data.traineeId, voidedOn: event.data.voidedOn };
        return integrationMessage(TRAINEE_TOPIC, event.data.traineeId, event, event.type, payload, event.data.voidedOn);
      }
      case 'PersonalDataErased': {
        const payload: PersonalDataErasedV1 = { traineeId: event.data.traineeId, erasedOn: event.data.erasedOn };
        return integrationMessage(TRAINEE_TOPIC, event.data.traineeId, event, event.type, payload, event.data.erasedOn);
      }
      case 'ActivationCodeIssued': {
        const { traineeId, codeHash, expiresAt, issuedOn, issuedBy } = event.data;
        const payload: ActivationCodeIssuedV2 = { traineeId, codeHash, expiresAt, issuedOn, issuedBy: issuedBy ?? null };
        return integrationMessage(TRAINEE_TOPIC, traineeId, event, event.type, payload, issuedOn, currentSchemaVersion(event.type));
      }
      default:
        return assertNever(event);
    }
  });
}
