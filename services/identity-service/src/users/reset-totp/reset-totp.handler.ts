import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { organisationOfUser, ResetTotp, userAggregate, userStreamId } from '../user.aggregate';
import { Users } from '../users';

/**
 * A lost second factor taken away: its secret deleted with the event, and the user's sessions ended (one
 * may be in the hands that have the phone). Their API keys stay: a key is an integration's, not a session.
 */
@Injectable()
export class ResetTotpHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly users: Users,
  ) {}

  async execute(userId: string, by: Caller): Promise<{ id: string; totp: 'none' }> {
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: async (user): Promise<ResetTotp> => ({ type: 'ResetTotp', organisation: await this.users.organisationOf(user), by }),
      inTransaction: async (tx) => {
        await tx.query('DELETE FROM totp_secrets WHERE user_id = $1', [userId]);
        await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
      },
    });
    return { id: userId, totp: 'none' };
  }
}
