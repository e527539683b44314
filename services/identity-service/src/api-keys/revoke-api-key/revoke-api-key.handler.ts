import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { organisationOfUser, userAggregate, userStreamId } from '../../users/user.aggregate';
import { ApiKeys } from '../api-keys';

@Injectable()
export class RevokeApiKeyHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly apiKeys: ApiKeys,
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
      inTransaction: async (tx) => {
        await tx.query('UPDATE api_keys SET revoked_at = now() WHERE client_id = $1', [clientId]);
      },
    });
  }
}
