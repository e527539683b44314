import { Injectable } from '@nestjs/common';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { randomBytes } from 'node:crypto';
import { userAggregate, userStreamId } from '../../users/user.aggregate';
import { ApiKeys } from '../api-keys';
import { CreateApiKeyDto } from './create-api-key.dto';

/** A key for scripts and imports, acting as `userId`; the secret is answered once and kept only hashed. */
@Injectable()
export class CreateApiKeyHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly apiKeys: ApiKeys,
  ) {}

  async execute(userId: string, body: CreateApiKeyDto): Promise<{ clientId: string; clientSecret: string }> {
    const clientId = `key_${randomBytes(12).toString('base64url')}`;
    const clientSecret = randomBytes(32).toString('base64url');
    const secretHash = this.apiKeys.secretHash(clientSecret);
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      command: { type: 'CreateApiKey', clientId, name: body.name },
      inTransaction: async (tx) => {
        await tx.query('INSERT INTO api_keys (client_id, user_id, name, secret_hash) VALUES ($1, $2, $3, $4)', [clientId, userId, body.name, secretHash]);
      },
    });
    return { clientId, clientSecret };
  }
}
