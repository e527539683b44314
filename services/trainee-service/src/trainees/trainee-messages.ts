import { PersonalDataErasedV1, TRAINEE_TOPIC, TraineeRegisteredV1 } from '@skills/contracts';
import { assertNever } from '@skills/domain-kernel';
import { integrationMessage, OutboxMessage, RecordedEvent } from '@skills/event-sourcing';
import { TraineeEvent } from './trainee.aggregate';

/** What other contexts learn of a trainee: never the sealed personal data, not even in sealed form. */
export function traineeIntegrationEvents(events: RecordedEvent<TraineeEvent>[]): OutboxMessage[] {
  return events.map((event) => {
    switch (event.type) {
      case 'TraineeRegistered': {
        const { traineeId, regionCode, birthDate, gender, categories, registeredOn } = event.data;
        const payload: TraineeRegisteredV1 = { traineeId, regionCode, birthDate, gender, categories, registeredOn };
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
