import { ApiKeyRevokedV1, currentSchemaVersion, IDENTITY_TOPIC } from '@skills/contracts';
import { DecidedEvent, integrationMessage, OutboxMessage } from '@skills/event-sourcing';
import { UserEvent } from '../../users/user.aggregate';

/** ApiKeyRevoked tells every other service to refuse the access tokens still in the key's hands. */
export function apiKeyRevokedMessages(events: DecidedEvent<UserEvent>[]): OutboxMessage[] {
  return events.flatMap((event) => {
    if (event.type !== 'ApiKeyRevoked') return [];
    const { clientId, userId, revokedOn } = event.data;
    return [integrationMessage<ApiKeyRevokedV1>(IDENTITY_TOPIC, userId, event, event.type, { apiKeyId: clientId, userId, revokedOn }, revokedOn, currentSchemaVersion(event.type))];
  });
}
