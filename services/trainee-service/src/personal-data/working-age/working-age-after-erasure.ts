import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Clock, todayBy, workingAgeFrom } from '@skills/domain-kernel';
import { Database, Sql } from '@skills/postgres';
import { CLOCK } from '@skills/service-runtime';

/** How often the days that have passed are dropped (they are never read once passed: see `under16On`). */
const PURGE_EVERY_MS = 6 * 3600_000;

/**
 * The one fact of an erased minor's birth date that the law needs after the erasure: the day they turn 16.
 * No one under 16 may be hired (Labour Law, article 15; domain.md section 4), and a minor's erasure must not
 * make them hireable (nothing would be known of their age). So an erasure keeps that day, outside the sealed
 * data, while it is still to come, and trainee-service answers "under working age" for the dates before it;
 * once it has passed nothing is kept (PIPL: only as long as a legal obligation needs it). Adults' erasures
 * keep nothing.
 */
@Injectable()
export class WorkingAgeAfterErasure implements OnModuleInit, OnApplicationShutdown {
  private purging?: NodeJS.Timeout;

  constructor(
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const purge = () => void this.purgePassed().catch(() => undefined);
    purge();
    this.purging = setInterval(purge, PURGE_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purging);
  }

  /** In the erasure's transaction, with the birth date read before the key went: kept only if they are not 16 yet. */
  async keep(tx: Sql, traineeId: string, birthDate: string | null | undefined): Promise<void> {
    const from = birthDate ? workingAgeFrom(birthDate, todayBy(this.clock)) : null;
    if (!from) return;
    await tx.query('INSERT INTO working_age_after_erasure (trainee_id, working_age_from) VALUES ($1, $2) ON CONFLICT (trainee_id) DO NOTHING', [traineeId, from]);
  }

  /** Whether the erased trainee was under 16 on `date`: true only for a date before a day kept, which has not passed. */
  async under16On(traineeId: string, date: string): Promise<boolean> {
    const { rows } = await this.database.query<{ under: boolean }>(
      `SELECT $2::date < working_age_from AS under FROM working_age_after_erasure WHERE trainee_id = $1 AND working_age_from > $3::date`,
      [traineeId, date, todayBy(this.clock)],
    );
    return rows[0]?.under === true;
  }

  /** The days that have passed go: nobody is kept from work by them any more. */
  async purgePassed(): Promise<number> {
    const { rowCount } = await this.database.query('DELETE FROM working_age_after_erasure WHERE working_age_from <= $1::date', [todayBy(this.clock)]);
    return rowCount ?? 0;
  }
}
