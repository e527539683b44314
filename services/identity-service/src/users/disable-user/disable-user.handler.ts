import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { userAggregate, userStreamId } from '../user.aggregate';

/** Disabling ends the user's sessions at once: their refresh tokens are revoked with the event. */
@Injectable()
export class DisableUserHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(userId: string, by: Caller): Promise<{ id: string; status: 'disabled' }> {
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      command: { type: 'DisableUser', by },
      inTransaction: async (tx) => {
        await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
        await tx.query('UPDATE api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
      },
    });
    return { id: userId, status: 'disabled' };
  }
}
