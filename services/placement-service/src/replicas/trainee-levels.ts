import { Injectable } from '@nestjs/common';
import { SkillLevel } from '@skills/domain-kernel';
import { Database, Sql } from '@skills/postgres';

/** The trainees' levels per occupation on a date, from the certificates `trainee_certificates` keeps. */
@Injectable()
export class TraineeLevels {
  constructor(private readonly database: Database) {}

  /**
   * The highest level certified on or before `date` and not revoked by then (a certificate revoked
   * later still stood that day). On the pool, or inside a command's transaction (`sql`).
   */
  async levelOn(traineeId: string, occupationCode: string, date: string, sql: Sql = this.database): Promise<SkillLevel | null> {
    const { rows } = await sql.query<{ level: SkillLevel }>(
      `SELECT level FROM trainee_certificates
       WHERE trainee_id = $1 AND occupation_code = $2 AND certified_on <= $3::date AND (revoked_on IS NULL OR revoked_on > $3::date)
       ORDER BY rank DESC LIMIT 1`,
      [traineeId, occupationCode, date],
    );
    return rows[0]?.level ?? null;
  }
}
