import { Injectable } from '@nestjs/common';
import { activationCodeHash, normaliseActivationCode, TRAINEE_TOPIC } from '@skills/contracts';
import { DomainRefusal, FieldRefusal } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CatchUp } from '@skills/service-runtime';
import { PoolClient } from 'pg';

export interface ActivationCode {
  codeHash: string;
  traineeId: string;
  expiresAt: Date;
  used: boolean;
}

/** A state of the code, not a fault of the request: a 409 like every business refusal (api.md). */
const used = () => new DomainRefusal('activation_code_used', 'this activation code has already been used; ask for a new one');

/** The trainees' activation codes identity learnt from trainee-service (TraineeAccountsConsumer), by hash. */
@Injectable()
export class ActivationCodes {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
  ) {}

  /**
   * The unused code as typed. Read-your-writes across services: a code issued a moment ago may not have
   * arrived yet (an import's registrations ahead of it on the topic), so an unknown one is looked for until
   * it comes or every code trainee-service had issued when the request arrived is here (CatchUp.lookUp): "no such code" is said
   * only of one never issued, and a lag answers 503 (FactsNotCaughtUp). Text that cannot be a code is not waited for.
   */
  async unused(typed: string): Promise<ActivationCode> {
    const canonical = normaliseActivationCode(typed);
    const code = canonical ? await this.catchUp.lookUp([TRAINEE_TOPIC], () => this.find(activationCodeHash(canonical))) : undefined;
    if (!code) throw new FieldRefusal('code', 'activation_code_invalid', 'no such activation code');
    if (code.used) throw used();
    return code;
  }

  /** In the user's creation: of two concurrent redemptions of one code the row lock lets one through. */
  async markUsed(tx: PoolClient, codeHash: string, userId: string, at: Date): Promise<void> {
    const { rowCount } = await tx.query('UPDATE activation_codes SET used_at = $2, user_id = $3 WHERE code_hash = $1 AND used_at IS NULL', [codeHash, at, userId]);
    if (rowCount === 0) throw used();
  }

  private async find(codeHash: string): Promise<ActivationCode | undefined> {
    const { rows } = await this.database.query<ActivationCode>(
      `SELECT code_hash AS "codeHash", trainee_id AS "traineeId", expires_at AS "expiresAt", used_at IS NOT NULL AS used FROM activation_codes WHERE code_hash = $1`,
      [codeHash],
    );
    return rows[0];
  }
}
