import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { hashPassword } from '../passwords';
import { endRefreshSessions } from '../user-sessions';
import { Users } from '../users';
import { organisationOfUser, ChangePassword, userAggregate, userStreamId } from '../user.aggregate';
import { ChangePasswordDto } from './change-password.dto';

/** A new password ends the sessions signed in with the old one. */
@Injectable()
export class ChangePasswordHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly users: Users,
  ) {}

  async execute(userId: string, body: ChangePasswordDto, by: Caller): Promise<{ id: string }> {
    const passwordHash = await hashPassword(body.password);
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: async (user): Promise<ChangePassword> => ({ type: 'ChangePassword', passwordHash, organisation: await this.users.organisationOf(user), by }),
      inTransaction: (tx) => endRefreshSessions(tx, userId),
    });
    return { id: userId };
  }
}
