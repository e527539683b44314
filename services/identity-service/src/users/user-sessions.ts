import { currentSchemaVersion, IDENTITY_TOPIC, UserDisabledV1 } from '@skills/contracts';
import { DecidedEvent, integrationMessage, OutboxMessage } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { forgetSignInAddresses } from '../tokens/sign-in-limits';
import { UserEvent } from './user.aggregate';

/**
 * A user who may no longer sign in loses every session at once: refresh tokens and API keys stop working,
 * and the addresses they signed in from are forgotten.
 */
export async function endSessions(tx: PoolClient, userId: string): Promise<void> {
  await endRefreshSessions(tx, userId);
  await tx.query('UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  await forgetSignInAddresses(tx, userId);
}

/** The user's sessions end: their refresh tokens no longer renew (access tokens live out their minutes). */
export async function endRefreshSessions(tx: PoolClient, userId: string): Promise<void> {
  await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
}

/** UserDisabled tells every other service to refuse the access tokens still in the user's hands. */
export function userDisabledMessages(events: DecidedEvent<UserEvent>[]): OutboxMessage[] {
  return events.flatMap((event) =>
    event.type === 'UserDisabled'
      ? [integrationMessage<UserDisabledV1>(IDENTITY_TOPIC, event.data.userId, event, event.type, { userId: event.data.userId, disabledOn: event.data.disabledOn }, event.data.disabledOn, currentSchemaVersion(event.type))]
      : [],
  );
}
