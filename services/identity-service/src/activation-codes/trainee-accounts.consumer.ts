import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ActivationCodeIssuedV2, IntegrationEnvelope, TRAINEE_TOPIC, TraineeIntegrationEvent } from '@skills/contracts';
import { isUuid } from '@skills/domain-kernel';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { ApplyTogether, MessageConsumer, runWithCorrelation } from '@skills/messaging';
import { PoolClient } from 'pg';
import { userAggregate, userStreamId } from '../users/user.aggregate';
import { endSessions, userDisabledMessages } from '../users/user-sessions';
import { keepTraineeUserClaim } from '../users/users';
import { forgetSignInFailures } from '../tokens/sign-in-limits';

export const TRAINEE_ACCOUNTS_CONSUMER = 'identity.trainee-accounts';

/**
 * What identity learns from the trainee topic about trainees' own accounts, once per event and in the
 * trainee's order (one consumer, so an erasure is never applied before a code issued earlier):
 * - a code issued: its hash is kept until used; it withdraws the trainee's earlier unused codes (one
 *   code in circulation, the last handed over);
 * - the personal data erased (PIPL), or the registration voided (made in error, perhaps with another
 *   person's number, its personal data erased too): the unused codes are withdrawn, and the trainee's
 *   users are disabled at once everywhere and their usernames, often the person's phone number or
 *   name, forgotten (usernames live only in `username_claims`, never in the log);
 * - an organisation a void left unrelated to the trainee (TraineeUnrelated: a school's enrolment or an
 *   employer's hire of the wrong trainee record, voided): the trainee's unused codes a user of that
 *   organisation issued are withdrawn, since it may no longer issue one (a code handed to the person in
 *   front of them before the void would give that person an account on someone else's record).
 */
@Controller()
export class TraineeAccountsConsumer {
  constructor(
    private readonly consumer: MessageConsumer,
    private readonly commands: CommandPipeline,
  ) {}

  @EventPattern(TRAINEE_TOPIC)
  async onTraineeEvent(@Payload() envelope: TraineeIntegrationEvent): Promise<void> {
    await this.consumer.consumeTogether(TRAINEE_ACCOUNTS_CONSUMER, TRAINEE_TOPIC, envelope, accountChangeOf, this.applyAll);
  }

  /**
   * A chunk's messages in their order, their claims in one statement: most of them (an import's
   * registrations) change nothing here. Each change is made in its own message's context, so an
   * erasure's commands record that message as their cause.
   */
  private readonly applyAll: ApplyTogether<AccountChange | undefined> = async (tx, messages) => {
    for (const { value: change, cause } of messages) {
      if (change) await runWithCorrelation(cause.correlationId, () => this.apply(tx, change), cause.causationId, cause.actor);
    }
  };

  private async apply(tx: PoolClient, change: AccountChange): Promise<void> {
    switch (change.kind) {
      case 'code issued':
        await withdrawUnusedCodes(tx, change.traineeId);
        await tx.query(
          `INSERT INTO activation_codes (code_hash, trainee_id, expires_at, issued_by, issuer_signed_in_at, issuer_sessions_ended, issued_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [change.codeHash, change.traineeId, change.expiresAt, change.issuedBy?.userId ?? null, change.issuedBy?.signedInAt ?? null, change.issuedBy?.sessionsEnded ?? null, change.issuedAt],
        );
        return;
      case 'erased':
        // The codes first: their row locks make an activation running meanwhile wait and then find its
        // code gone; one that committed before is among the users found below.
        await withdrawUnusedCodes(tx, change.traineeId);
        await this.eraseUsers(tx, change.traineeId);
        return;
      case 'unrelated':
        await withdrawCodesIssuedFor(tx, change.traineeId, change.organisationId);
        return;
    }
  }

  private async eraseUsers(tx: PoolClient, traineeId: string): Promise<void> {
    // Erasures are rare: the trainee's users are found in the log itself rather than in an index kept for this alone.
    const { rows } = await tx.query<{ user_id: string }>(`SELECT DISTINCT data->>'userId' AS user_id FROM events WHERE event_type = 'UserCreated' AND data->>'traineeId' = $1`, [traineeId]);
    for (const { user_id: userId } of rows) {
      await this.commands.handleInTransaction(tx, {
        stream: mustExist(userStreamId(userId), 'user', userId),
        aggregate: userAggregate,
        command: { type: 'EraseTraineeUser', traineeId },
        inTransaction: async (inner) => {
          await endSessions(inner, userId);
          await keepTraineeUserClaim(inner, traineeId, userId);
          const { rows: usernames } = await inner.query<{ username: string }>('DELETE FROM username_claims WHERE user_id = $1 RETURNING username', [userId]);
          for (const { username } of usernames) await forgetSignInFailures(inner, username);
        },
        integrationEvents: userDisabledMessages,
      });
    }
  }
}

const withdrawUnusedCodes = (tx: PoolClient, traineeId: string) => tx.query('DELETE FROM activation_codes WHERE trainee_id = $1 AND used_at IS NULL', [traineeId]);

/**
 * The trainee's unused codes a user of the organisation issued. The issuer's organisation is the one of
 * their creation (UserCreated, never changed since), read in the log itself: the user directory is a
 * projection that may lag. Both facts are on the trainee topic keyed by the trainee, so a code issued before
 * the void is here before this. Not withdrawn: a code whose issuer is not known (issued before issuers
 * were kept, or by an outside issuer's user, OIDC_ISSUER, none of whose users identity holds), which is left
 * as it is; and a code used between the void and this message, whose account stands (a used code is
 * history; the trainee's account is theirs to keep or a platform admin's to disable).
 */
const withdrawCodesIssuedFor = (tx: PoolClient, traineeId: string, organisationId: string) =>
  tx.query(
    `DELETE FROM activation_codes c
      WHERE c.trainee_id = $1 AND c.used_at IS NULL AND c.issued_by IS NOT NULL
        AND EXISTS (SELECT 1 FROM events e WHERE e.stream_id = 'user-' || c.issued_by::text AND e.event_type = 'UserCreated' AND lower(e.data->>'organisationId') = lower($2))`,
    [traineeId, organisationId],
  );

type AccountChange =
  | { kind: 'code issued'; traineeId: string; codeHash: string; expiresAt: string; issuedBy: CodeIssuer | null; issuedAt: string }
  | { kind: 'erased'; traineeId: string }
  | { kind: 'unrelated'; traineeId: string; organisationId: string };
type CodeIssuer = NonNullable<ActivationCodeIssuedV2['issuedBy']>;

/** What a message changes here, taken as it is handed over (a malformed one is applied and parked alone); nothing for the rest. */
function accountChangeOf(current: IntegrationEnvelope): AccountChange | undefined {
  const message = current as TraineeIntegrationEvent;
  switch (message.type) {
    case 'ActivationCodeIssued': {
      const { traineeId, codeHash, expiresAt, issuedBy } = message.payload;
      // An outside issuer's user (OIDC_ISSUER) may have any subject, and identity holds none of their sessions: not kept.
      const ours = issuedBy && isUuid(issuedBy.userId) ? issuedBy : null;
      return { kind: 'code issued', traineeId, codeHash, expiresAt, issuedBy: ours, issuedAt: message.recordedAt };
    }
    case 'PersonalDataErased':
    case 'TraineeRegistrationVoided':
      return { kind: 'erased', traineeId: message.payload.traineeId };
    case 'TraineeUnrelated':
      return { kind: 'unrelated', traineeId: message.payload.traineeId, organisationId: message.payload.organisationId };
    default:
      return undefined;
  }
}
