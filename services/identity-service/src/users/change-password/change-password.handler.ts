import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { InvalidInput } from '@skills/service-runtime';
import { SignInLimits } from '../../tokens/sign-in-limits';
import { hashPassword, verifyPassword } from '../passwords';
import { endRefreshSessions } from '../user-sessions';
import { Users } from '../users';
import { organisationOfUser, ChangePassword, userAggregate, userStreamId } from '../user.aggregate';
import { ChangePasswordDto } from './change-password.dto';

/**
 * A new password ends the sessions signed in with the old one. One's own is changed with the current
 * one, checked as at sign-in and counted by the same limits (a wrong one is a failed sign-in): a token
 * or an unlocked console in other hands must not take the account over for good.
 */
@Injectable()
export class ChangePasswordHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly users: Users,
    private readonly limits: SignInLimits,
  ) {}

  async execute(userId: string, body: ChangePasswordDto, by: Caller, address: string): Promise<{ id: string }> {
    const currentPasswordMatched = by.userId === userId ? await this.currentPasswordMatched(userId, body.currentPassword, by, address) : undefined;
    const passwordHash = await hashPassword(body.password);
    await this.commands.handle({
      stream: mustExist(userStreamId(userId), 'user', userId),
      aggregate: userAggregate,
      auditedFor: organisationOfUser,
      command: async (user): Promise<ChangePassword> => ({ type: 'ChangePassword', passwordHash, currentPasswordMatched, organisation: await this.users.organisationOf(user), by }),
      inTransaction: (tx) => endRefreshSessions(tx, userId),
    });
    return { id: userId };
  }

  /**
   * The hash of the user's password that `currentPassword` matched; undefined when it did not (the
   * aggregate refuses, judging it against the password as it is when the change is decided), the attempt
   * then counted as a failed sign-in. 400 without one; 429 past the sign-in limits, as at sign-in.
   */
  private async currentPasswordMatched(userId: string, currentPassword: string | undefined, by: Caller, address: string): Promise<string | undefined> {
    if (!currentPassword) throw new InvalidInput([{ field: 'currentPassword', rule: 'required', message: 'currentPassword is required to change one’s own password' }]);
    const user = await this.users.byId(userId);
    // Not a user of this platform (an outside issuer's): the command answers 404.
    if (!user) return undefined;
    const attempt = await this.limits.begin(by.username, address, userId);
    if (!(await verifyPassword(currentPassword, user.user.passwordHash))) return undefined;
    await this.limits.noFailure(attempt);
    return user.user.passwordHash;
  }
}
