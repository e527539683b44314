import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { organisationOfUser, userAggregate, userStreamId } from '../user.aggregate';
import { endRefreshSessions } from '../user-sessions';

/**
 * A lost second factor taken away: its secret deleted with the event, and the user's sessions ended (one
 * may be in the hands that have the phone; a renewal under way meanwhile is refused by the session's
 * credential, RefreshTokens). Their API keys stay: a key is an integration's, not a session.
 */
@Injectable()
export class ResetTotpHandler {
  constructor(private readonly commands: CommandPipeline) {}

  async execute(userId: string, by: Caller): Promise<{ id: string; totp: 'none' }> {
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: { type: 'ResetTotp', by },
      inTransaction: async (tx) => {
        await tx.query('DELETE FROM totp_secrets WHERE user_id = $1', [userId]);
        await endRefreshSessions(tx, userId);
      },
    });
    return { id: userId, totp: 'none' };
  }
}
