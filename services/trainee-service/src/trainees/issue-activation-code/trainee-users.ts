import { Injectable } from '@nestjs/common';
import { IDENTITY_TOPIC } from '@skills/contracts';
import { DomainRefusal } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CatchUp } from '@skills/service-runtime';

/**
 * Which trainees hold an active user of their own, as identity-service told (TraineeUsersConsumer, and the
 * runtime's `disabled_users`). Identity alone enforces one active user per trainee, when a code is
 * redeemed (trainee_has_user); this spares the trainee a code that would only be refused then, and the
 * withdrawal of an earlier unused code that issuing another makes.
 */
@Injectable()
export class TraineeUsers {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
  ) {}

  /**
   * 409 trainee_has_user while the trainee holds an active user. A refusal is a decision: the identity facts
   * are caught up first, so a user disabled a moment ago does not keep the trainee (503 when they cannot
   * be). A creation the replica has not taken yet lets the code through: its redemption is refused still.
   */
  async refuseIfHeld(traineeId: string): Promise<void> {
    if (!(await this.holdsActiveUser(traineeId))) return;
    await this.catchUp.facts([IDENTITY_TOPIC]);
    if (await this.holdsActiveUser(traineeId)) {
      // Whose user it is is not said: the caller hands the code over, the account is the person's own.
      throw new DomainRefusal('trainee_has_user', 'the trainee has an active user already, which a code would not replace: it signs in with that user, or it is disabled first');
    }
  }

  private async holdsActiveUser(traineeId: string): Promise<boolean> {
    const { rows } = await this.database.query(
      `SELECT 1 FROM trainee_users t WHERE t.trainee_id = $1 AND NOT EXISTS (SELECT 1 FROM disabled_users d WHERE d.user_id = t.user_id) LIMIT 1`,
      [traineeId],
    );
    return rows.length > 0;
  }
}
