import { Injectable } from '@nestjs/common';
import { SkillLevel } from '@skills/domain-kernel';
import { CERTIFICATION_TOPIC } from '@skills/contracts';
import { unappliedLetterAbout } from '@skills/messaging';
import { Database, Sql } from '@skills/postgres';

/** The consumer that keeps `trainee_certificates` (PlacementReplicaConsumers): its inbox and its dead letters. */
export const TRAINEE_CERTIFICATES_CONSUMER = 'placement.trainee-certificates';

/** The trainees' levels per occupation for a decision, from the certificates `trainee_certificates` keeps. */
@Injectable()
export class TraineeLevels {
  constructor(private readonly database: Database) {}

  /**
   * The highest level a decision taken now (a hire) stands on for `date`: of the certificates dated on or
   * before it, those that stand now, not revoked at all. As certification's ladder judges a decision taken
   * now, whatever its date: a certificate revoked since (for fraud, say) gives no level to anything decided
   * after its revocation, not even for a day before it. The level a person held *then* (a certificate
   * revoked later still stood that day) is the wage insight's (wage-insight.controller.ts) and the statistics'.
   * Also whether one of the trainee's certification facts waits here as a dead letter (the level may then be
   * wrong: a revocation not applied, a certificate missing), in one round trip. On the pool, or inside a
   * command's transaction (`sql`).
   */
  async forDecisionOn(traineeId: string, occupationCode: string, date: string, sql: Sql = this.database): Promise<{ level: SkillLevel | null; factsParked: boolean }> {
    const { rows } = await sql.query<{ level: SkillLevel | null; parked: boolean }>(
      `SELECT (SELECT level FROM trainee_certificates
                WHERE trainee_id = $1::uuid AND occupation_code = $3 AND certified_on <= $4::date AND revoked_on IS NULL
                ORDER BY rank DESC LIMIT 1) AS level,
              ${unappliedLetterAbout(CERTIFICATION_TOPIC, '$2', '$1')} AS parked`,
      [traineeId, TRAINEE_CERTIFICATES_CONSUMER, occupationCode, date],
    );
    return { level: rows[0].level, factsParked: rows[0].parked };
  }
}
