import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { organisationOfUser, DisableUser, userAggregate, userStreamId } from '../user.aggregate';
import { isLastActivePlatformAdmin, releaseTraineeUserClaim, Users } from '../users';
import { endSessions, userDisabledMessages } from '../user-sessions';

/**
 * Disabling ends the user's sessions at once: their refresh tokens are revoked with the event, and
 * UserDisabled tells every other service to refuse the access tokens still in the user's hands. A disabled
 * trainee user gives up its trainee (releaseTraineeUserClaim): one redeemed by someone else (a clerk
 * with the code) would otherwise keep the person from ever activating their own. The last active
 * platform admin is not disabled (409 last_platform_admin): nobody would be left to administer the platform.
 * Nor does anyone disable themself (409 cannot_disable_self): a disabled user is never enabled again.
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
      command: async (user, tx): Promise<DisableUser> => ({
        type: 'DisableUser',
        organisation: await this.users.organisationOf(user),
        lastPlatformAdmin: user.status === 'active' && user.user.role === 'platform_admin' && (await isLastActivePlatformAdmin(tx, userId)),
        by,
      }),
      inTransaction: async (tx) => {
        await endSessions(tx, userId);
        await releaseTraineeUserClaim(tx, userId);
      },
      integrationEvents: userDisabledMessages,
    });
    return { id: userId, status: 'disabled' };
  }
}
