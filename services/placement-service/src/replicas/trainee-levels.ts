import { Injectable } from '@nestjs/common';
import { SkillLevel } from '@skills/domain-kernel';
import { Database, Sql } from '@skills/postgres';

/** The trainees' current levels per occupation, as `trainee_levels` keeps them from certification events. */
@Injectable()
export class TraineeLevels {
  constructor(private readonly database: Database) {}

  /** On the pool, or inside a command's transaction (`sql`). */
  async levelIn(traineeId: string, occupationCode: string, sql: Sql = this.database): Promise<SkillLevel | null> {
    const { rows } = await sql.query<{ level: SkillLevel | null }>('SELECT level FROM trainee_levels WHERE trainee_id = $1 AND occupation_code = $2', [traineeId, occupationCode]);
    return rows[0]?.level ?? null;
  }
}
