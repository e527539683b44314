import { Injectable } from '@nestjs/common';
import { Caller } from '@skills/contracts';
import { InvalidInput } from '@skills/service-runtime';
import { SignInLimits } from '../tokens/sign-in-limits';
import { verifyPassword } from './passwords';
import { Users } from './users';

/**
 * The user's password asked again before what would take their account over for good (a new password, a
 * second factor): checked as at sign-in and counted by the same limits (a wrong one is a failed sign-in),
 * so that a token or an unlocked console in other hands cannot do it.
 */
@Injectable()
export class CurrentPasswords {
  constructor(
    private readonly users: Users,
    private readonly limits: SignInLimits,
  ) {}

  /**
   * The hash of the user's password that `currentPassword` matched; undefined when it did not (the
   * aggregate refuses, judging it against the password as it is when the command is decided), the attempt
   * then counted as a failed sign-in. 400 `required` without one (`forWhat`: what it is needed for); 429
   * past the sign-in limits, as at sign-in.
   */
  async matched(userId: string, currentPassword: string | undefined, by: Caller, address: string, forWhat: string): Promise<string | undefined> {
    if (!currentPassword) throw new InvalidInput([{ field: 'currentPassword', rule: 'required', message: `currentPassword is required to ${forWhat}` }]);
    const user = await this.users.byId(userId);
    // Not a user of this platform (an outside issuer's): the command answers 404.
    if (!user) return undefined;
    const attempt = await this.limits.begin(by.username, address, userId);
    if (!(await verifyPassword(currentPassword, user.user.passwordHash))) return undefined;
    await this.limits.noFailure(attempt);
    return user.user.passwordHash;
  }
}
