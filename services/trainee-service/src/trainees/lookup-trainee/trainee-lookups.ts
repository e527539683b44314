import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { Database, Sql } from '@skills/postgres';
import { AuditTrail, CLOCK } from '@skills/service-runtime';
import { traineeStreamId } from '../trainee.aggregate';

/** Lookups one user may make in an hour: enough for a day's certifications, too few to sweep a registry. */
export const LOOKUPS_PER_HOUR = 60;

export class TooManyLookups extends HttpException {
  constructor() {
    super({ message: `at most ${LOOKUPS_PER_HOUR} lookups an hour`, rule: 'too_many_lookups', retryAfter: 3600 }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Every way of finding a trainee by identity number, counted per user (`trainee_lookups`, the rate
 * limit) and audited in the platform's audit log, found or not (domain.md section 9). The lookup is
 * one; a registration refused because the number is registered is another, as its answer names the
 * holder's id (api.md: `existingId`).
 */
@Injectable()
export class TraineeLookups {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Runs `find` as one of the caller's lookups: refused (429) once they made LOOKUPS_PER_HOUR in the last
   * hour, otherwise counted and audited with the trainee found (null for none): who asked, never what
   * with. Refused before `find` runs, so a refusal takes as long whatever was asked; and counted again
   * under a lock of the user's after it, so requests at once cannot all pass the count before any is
   * recorded. `find` runs on a connection of its own, so that no count waits for one while holding the lock.
   */
  async counted(caller: Caller, find: () => Promise<string | null>): Promise<string | null> {
    await this.refuseOverLimit(this.database, caller);
    const found = await find();
    await this.database.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`trainee-lookups:${caller.userId}`]);
      await this.refuseOverLimit(tx, caller);
      await tx.query('INSERT INTO trainee_lookups (user_id, actor, trainee_id, looked_up_at) VALUES ($1, $2, $3, $4)', [caller.userId, actorOf(caller), found, this.clock.now()]);
    });
    await this.audit.read(caller, 'trainees:lookup', found ? traineeStreamId(found) : null);
    return found;
  }

  private async refuseOverLimit(sql: Sql, caller: Caller): Promise<void> {
    const since = new Date(this.clock.now().getTime() - 3600_000);
    const { rows } = await sql.query<{ n: string }>('SELECT count(*) AS n FROM trainee_lookups WHERE user_id = $1 AND looked_up_at > $2', [caller.userId, since]);
    if (Number(rows[0].n) >= LOOKUPS_PER_HOUR) throw new TooManyLookups();
  }
}
