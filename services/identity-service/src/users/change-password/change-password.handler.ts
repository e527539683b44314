import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { CurrentPasswords } from '../current-passwords';
import { hashPassword, verifyPassword } from '../passwords';
import { endRefreshSessions } from '../user-sessions';
import { Users } from '../users';
import { organisationOfUser, ChangePassword, userAggregate, userStreamId } from '../user.aggregate';
import { ChangePasswordDto } from './change-password.dto';

/**
 * A new password ends the sessions signed in with the old one. One's own is changed with the current
 * one (CurrentPasswords): a token or an unlocked console in other hands must not take the account over for good.
 */
@Injectable()
export class ChangePasswordHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly users: Users,
    private readonly currentPasswords: CurrentPasswords,
  ) {}

  async execute(userId: string, body: ChangePasswordDto, by: Caller, address: string): Promise<{ id: string }> {
    const currentPasswordMatched = by.userId === userId ? await this.currentPasswords.matched(userId, body.currentPassword, by, address, 'change one’s own password') : undefined;
    const newIsCurrent = currentPasswordMatched !== undefined && (await verifyPassword(body.password, currentPasswordMatched));
    const passwordHash = await hashPassword(body.password);
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: async (user): Promise<ChangePassword> => ({ type: 'ChangePassword', passwordHash, temporaryPassword: body.temporaryPassword ?? false, currentPasswordMatched, newIsCurrent, organisation: await this.users.organisationOf(user), by }),
      inTransaction: (tx) => endRefreshSessions(tx, userId),
    });
    return { id: userId };
  }
}
