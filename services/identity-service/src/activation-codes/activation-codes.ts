import { Injectable } from '@nestjs/common';
import { activationCodeHash, normaliseActivationCode, TRAINEE_TOPIC } from '@skills/contracts';
import { DomainRefusal, FieldRefusal } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { unappliedLetterWhere } from '@skills/messaging';
import { CatchUp, FactsParked } from '@skills/service-runtime';
import { PoolClient } from 'pg';
import { TRAINEE_ACCOUNTS_CONSUMER } from './trainee-accounts.consumer';

export interface ActivationCode {
  codeHash: string;
  traineeId: string;
  expiresAt: Date;
  used: boolean;
  /** Who issued it, with the sign-in of the token they did it with, and when; null for codes of before that was kept. */
  issuer: { userId: string; signedInAt: Date | null; sessionsEnded: number | null; issuedAt: Date } | null;
}

/** A state of the code, not a fault of the request: a 409 like every business refusal (api.md). */
const used = () => new DomainRefusal('activation_code_used', 'this activation code has already been used; ask for a new one');

/**
 * The code was issued with the token of a session its issuer's password change or reset (or second factor's
 * reset) had ended. Said to whoever holds the code, on a public route: nothing of the issuer's account.
 */
export const issuedInEndedSession = () => new DomainRefusal('activation_code_session_ended', 'this activation code can no longer be used; ask for a new one');

/** The trainees' activation codes identity learnt from trainee-service (TraineeAccountsConsumer), by hash. */
@Injectable()
export class ActivationCodes {
  constructor(
    private readonly database: Database,
    private readonly catchUp: CatchUp,
  ) {}

  /**
   * The unused code as typed, on every fact trainee-service had accepted when the request arrived
   * (caughtUp): "no such code" is said only of one never issued, or withdrawn, and a lag answers 503
   * (FactsNotCaughtUp). Text that cannot be a code is not waited for.
   */
  async unused(typed: string): Promise<ActivationCode> {
    const canonical = normaliseActivationCode(typed);
    const code = canonical ? await this.caughtUp(activationCodeHash(canonical)) : undefined;
    if (!code) throw new FieldRefusal('code', 'activation_code_invalid', 'no such activation code');
    if (code.used) throw used();
    return code;
  }

  /**
   * Read-your-writes across services: a code issued a moment ago may not have arrived yet (an import's
   * registrations ahead of it on the topic), so an unknown one is looked for until it comes or every code
   * trainee-service had issued is here (CatchUp.lookUp). A code found here may have been withdrawn since by
   * a fact still on its way (a newer code for the trainee, a void, an erasure): it is looked up again once
   * the trainee topic has caught up, so a code handed to the wrong person and replaced is never redeemed.
   * Throws FactsParked (503) while a fact about the code or its trainee waits here as a dead letter: the
   * code may have been withdrawn, or issued, by it.
   */
  private async caughtUp(codeHash: string): Promise<ActivationCode | undefined> {
    const known = await this.catchUp.lookUp([TRAINEE_TOPIC], () => this.find(codeHash));
    // Not found: lookUp has caught up already. Found: perhaps at once, on facts that have not.
    if (known) await this.catchUp.facts([TRAINEE_TOPIC]);
    const code = known && (await this.find(codeHash));
    // The letter is looked for by the trainee the code was issued for (known, even once withdrawn), and by
    // the code itself: its issue may be the parked fact, and then no row here names the trainee.
    if (await this.hasParkedFacts(codeHash, known?.traineeId)) throw new FactsParked("this activation code's trainee, from trainee-service,");
    return code;
  }

  /** In the user's creation: of two concurrent redemptions of one code the row lock lets one through. */
  async markUsed(tx: PoolClient, codeHash: string, userId: string, at: Date): Promise<void> {
    const { rowCount } = await tx.query('UPDATE activation_codes SET used_at = $2, user_id = $3 WHERE code_hash = $1 AND used_at IS NULL', [codeHash, at, userId]);
    if (rowCount === 0) throw used();
  }

  private async hasParkedFacts(codeHash: string, traineeId: string | undefined): Promise<boolean> {
    const { rows } = await this.database.query<{ parked: boolean }>(
      `SELECT ${unappliedLetterWhere(`d.consumer = $1 AND d.topic = '${TRAINEE_TOPIC}' AND (d.envelope->>'aggregateId' = $2 OR d.envelope->'payload'->>'codeHash' = $3)`)} AS parked`,
      [TRAINEE_ACCOUNTS_CONSUMER, traineeId ?? null, codeHash],
    );
    return rows[0].parked;
  }

  private async find(codeHash: string): Promise<ActivationCode | undefined> {
    const { rows } = await this.database.query<Omit<ActivationCode, 'issuer'> & { issuedBy: string | null; signedInAt: Date | null; sessionsEnded: number | null; issuedAt: Date | null }>(
      `SELECT code_hash AS "codeHash", trainee_id AS "traineeId", expires_at AS "expiresAt", used_at IS NOT NULL AS used,
              issued_by AS "issuedBy", issuer_signed_in_at AS "signedInAt", issuer_sessions_ended AS "sessionsEnded", issued_at AS "issuedAt"
         FROM activation_codes WHERE code_hash = $1`,
      [codeHash],
    );
    if (!rows[0]) return undefined;
    const { issuedBy, signedInAt, sessionsEnded, issuedAt, ...code } = rows[0];
    return { ...code, issuer: issuedBy && issuedAt ? { userId: issuedBy, signedInAt, sessionsEnded, issuedAt } : null };
  }
}
