import { PersonalDataErasedV1, TRAINEE_TOPIC, TraineeRegisteredV1 } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';
import { integrationMessage, OutboxMessage, RecordedEvent } from '@skills/event-sourcing';
import { TraineeEvent } from './trainee.aggregate';

/**
 * What other contexts learn of a trainee: never the personal data, not even sealed; only the masked
 * name (张**) that public certificate verification shows, known only while registering.
 */
export function traineeIntegrationEvents(events: RecordedEvent<TraineeEvent>[], registration?: { nameMasked: string }): OutboxMessage[] {
  return events.map((event) => {
    switch (event.type) {
      case 'TraineeRegistered': {
        const { traineeId, regionCode, birthDate, gender, categories, registeredOn } = event.data;
        const payload: TraineeRegisteredV1 = { traineeId, nameMasked: registration?.nameMasked ?? '*', regionCode, birthDate, gender, categories, registeredOn };
        return integrationMessage(TRAINEE_TOPIC, traineeId, event, event.type, payload, registeredOn);
      }
      case 'PersonalDataErased': {
        const payload: PersonalDataErasedV1 = { traineeId: event.data.traineeId, erasedOn: event.data.erasedOn };
        return integrationMessage(TRAINEE_TOPIC, event.data.traineeId, event, event.type, payload, event.data.erasedOn);
      }
      default:
        return assertNever(event);
    }
  });
}
