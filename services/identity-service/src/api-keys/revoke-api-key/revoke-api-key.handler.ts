import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { recordRevokedApiKey, RevokedApiKeys } from '@skills/service-runtime';
import { organisationOfUser, userAggregate, userStreamId } from '../../users/user.aggregate';
import { ApiKeys } from '../api-keys';
import { apiKeyRevokedMessages } from './api-key-revoked-messages';

@Injectable()
export class RevokeApiKeyHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly apiKeys: ApiKeys,
    private readonly database: Database,
    private readonly revokedApiKeys: RevokedApiKeys,
  ) {}

  async execute(clientId: string, by: Caller): Promise<void> {
    // The key names its user: its stream is where the revocation is recorded.
    const userId = await this.apiKeys.ownerOf(clientId);
    if (!userId) throw new UnknownEntity('api-key', clientId);
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'api-key', clientId),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: { type: 'RevokeApiKey', clientId, by },
      inTransaction: async (tx, decided) => {
        await tx.query('UPDATE api_keys SET revoked_at = now() WHERE client_id = $1', [clientId]);
        // Kept in identity's own revoked_api_keys as well: its replicas, and this process after a restart, refuse
        // the key's tokens without waiting for ApiKeyRevoked to come round; every other service learns it from that.
        for (const event of decided) {
          if (event.type === 'ApiKeyRevoked') await recordRevokedApiKey(tx, this.database.schema, { apiKeyId: event.data.clientId, userId: event.data.userId, revokedOn: event.data.revokedOn });
        }
      },
      integrationEvents: apiKeyRevokedMessages,
    });
    // Committed: this process refuses its tokens from the answer on (its other replicas on the NOTIFY, within moments).
    this.revokedApiKeys.add(clientId);
  }
}
