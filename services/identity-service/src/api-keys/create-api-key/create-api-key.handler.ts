import { Inject, Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CLOCK, requireRecentSignIn, TokenSession } from '@skills/service-runtime';
import { randomBytes } from 'node:crypto';
import { userAggregate, userStreamId } from '../../users/user.aggregate';
import { ApiKeys } from '../api-keys';
import { CreateApiKeyDto } from './create-api-key.dto';

/**
 * A key for scripts and imports, acting as `userId`; the secret is answered once and kept only hashed. A
 * key outlives a password change and asks for no second factor: it is made only with a token from a
 * sign-in of the last ten minutes (requireRecentSignIn: with the password, and the code if enrolled), not
 * one renewed hours after it, so that an access or refresh token in other hands cannot make itself a lasting key.
 */
@Injectable()
export class CreateApiKeyHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly apiKeys: ApiKeys,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, body: CreateApiKeyDto, session: TokenSession): Promise<{ clientId: string; clientSecret: string }> {
    requireRecentSignIn('api-keys:create', caller, session, this.clock.now());
    const userId = caller.userId;
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
