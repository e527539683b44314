import { Injectable } from '@nestjs/common';
import { Caller, newActivationCode } from '@skills/contracts';
import { CommandPipeline, mustExist, RecordedEvent } from '@skills/event-sourcing';
import { TokenSession, TraineeRelations } from '@skills/service-runtime';
import { ActivationCodeIssued, traineeAggregate, traineeStreamId } from '../trainee.aggregate';
import { traineeIntegrationEvents } from '../trainee-messages';
import { ActivationCodeAnswer } from './issue-activation-code.dto';
import { TraineeUsers } from './trainee-users';

/**
 * A code the trainee creates their own user with (identity-service redeems it). Issued by whoever may
 * read the trainee in full, staff of a related organisation or a platform admin; anyone else is
 * answered 404 as for a read. Not for a trainee who holds an active user already (TraineeUsers). The code
 * leaves only in the answer: the event and the message carry its hash.
 */
@Injectable()
export class IssueActivationCodeHandler {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly relations: TraineeRelations,
    private readonly traineeUsers: TraineeUsers,
  ) {}

  /** `session`: the caller's token's, kept with the code (identity refuses a code issued in an ended session). */
  async execute(traineeId: string, caller: Caller, session: TokenSession): Promise<ActivationCodeAnswer> {
    await this.relations.assertMayReadCaughtUp(caller, traineeId);
    // After the read check: whether the trainee has an account is told only to whoever may read them.
    await this.traineeUsers.refuseIfHeld(traineeId);
    const { code, codeHash } = newActivationCode();
    const { events } = await this.commands.handle({
      stream: mustExist(traineeStreamId(traineeId), 'trainee', traineeId),
      aggregate: traineeAggregate,
      command: { type: 'IssueActivationCode', traineeId, codeHash, issuedBy: { userId: caller.userId, signedInAt: session.signedInAt?.toISOString() ?? null, sessionsEnded: session.sessionsEnded ?? null } },
      integrationEvents: (events) => traineeIntegrationEvents(events),
    });
    // decide answers exactly this one event, or refuses.
    const [issued] = events as RecordedEvent<ActivationCodeIssued>[];
    return { code, expiresAt: issued.data.expiresAt };
  }
}
