import { currentSchemaVersion, IDENTITY_TOPIC, TraineeUserCreatedV1 } from '@skills/contracts';
import { DecidedEvent, integrationMessage, OutboxMessage } from '@skills/event-sourcing';
import { UserEvent } from './user.aggregate';

/**
 * TraineeUserCreated tells trainee-service that the trainee holds an active user now, so it issues no
 * activation code that redemption would refuse (trainee_has_user); the UserDisabled of the same user
 * (userDisabledMessages) gives the trainee back. Only users linked to a trainee are told of.
 */
export function traineeUserCreatedMessages(events: DecidedEvent<UserEvent>[]): OutboxMessage[] {
  return events.flatMap((event) => {
    if (event.type !== 'UserCreated' || !event.data.traineeId) return [];
    const { traineeId, userId, createdOn } = event.data;
    return [integrationMessage<TraineeUserCreatedV1>(IDENTITY_TOPIC, userId, event, 'TraineeUserCreated', { traineeId, userId, createdOn }, createdOn, currentSchemaVersion('TraineeUserCreated'))];
  });
}
