import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { organisationOfUser, DisableUser, userAggregate, userStreamId } from '../user.aggregate';
import { Users } from '../users';
import { endSessions, userDisabledMessages } from '../user-sessions';

/**
 * Disabling ends the user's sessions at once: their refresh tokens are revoked with the event, and
 * UserDisabled tells every other service to refuse the access tokens still in the user's hands.
 */
@Injectable()
export class DisableUserHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly users: Users,
  ) {}

  async execute(userId: string, by: Caller): Promise<{ id: string; status: 'disabled' }> {
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: async (user): Promise<DisableUser> => ({ type: 'DisableUser', organisation: await this.users.organisationOf(user), by }),
      inTransaction: (tx) => endSessions(tx, userId),
      integrationEvents: userDisabledMessages,
    });
    return { id: userId, status: 'disabled' };
  }
}
