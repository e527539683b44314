import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { CommandPipeline, mustNotExist } from '@skills/event-sourcing';
import { actAs } from '@skills/messaging';
import { CLOCK } from '@skills/service-runtime';
import { randomUUID } from 'node:crypto';
import { ActivationCode, ActivationCodes, issuedInEndedSession } from '../../activation-codes/activation-codes';
import { sessionEnded } from '../session-in-force';
import { hashPassword } from '../passwords';
import { userAggregate, userStreamId } from '../user.aggregate';
import { traineeUserCreatedMessages } from '../trainee-user-messages';
import { traineeUserClaim, Users, usernameClaim } from '../users';
import { ActivatedUserAnswer, ActivateUserDto } from './activate-user.dto';

/**
 * A trainee creates their own user (role trainee, linked to them) with the code issued for them. The
 * code is marked used in the same transaction as the user's creation, so one code makes one user.
 */
@Injectable()
export class ActivateUserHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly codes: ActivationCodes,
    private readonly users: Users,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(body: ActivateUserDto): Promise<ActivatedUserAnswer> {
    const code = await this.codes.unused(body.code);
    await this.refuseIfIssuedInEndedSession(code);
    const userId = randomUUID();
    const username = body.username.toLowerCase();
    const passwordHash = await hashPassword(body.password);
    // The route is public: the person who redeems the code acts, as the user they become (the audit log keeps it).
    actAs({ userId, role: 'trainee', organisationId: null, via: 'token' });
    await this.commands.handle({
      stream: mustNotExist(userStreamId(userId)),
      aggregate: userAggregate,
      command: { type: 'ActivateTraineeUser', user: { userId, traineeId: code.traineeId, passwordHash }, codeExpiresAt: code.expiresAt.toISOString() },
      claims: [usernameClaim(username, userId), traineeUserClaim(code.traineeId, userId)],
      inTransaction: (tx) => this.codes.markUsed(tx, code.codeHash, userId, this.clock.now()),
      integrationEvents: traineeUserCreatedMessages,
    });
    return { id: userId };
  }

  /**
   * A code issued with the token of a session that had been ended (a thief's, or a dismissed clerk's, after
   * their password was reset) makes no user: identity refuses such a token every credential it makes itself
   * (SessionInForce), and the code is issued by trainee-service, which does not hold the user's sessions.
   * Judged on the issuer's log as it stands here; a code whose issuer identity does not hold (an external
   * OpenID Connect issuer's user) or of before the issuer was kept is not judged.
   */
  private async refuseIfIssuedInEndedSession({ issuer }: ActivationCode): Promise<void> {
    const user = issuer && (await this.users.byId(issuer.userId));
    if (!issuer || !user) return;
    const session = { signedInAt: issuer.signedInAt ?? undefined, sessionsEnded: issuer.sessionsEnded ?? undefined };
    if (sessionEnded(user.sessionEnds, session, issuer.issuedAt)) throw issuedInEndedSession();
  }
}
