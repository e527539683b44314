import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
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

  /** 429 once the user has made LOOKUPS_PER_HOUR in the last hour. */
  async refuseOverLimit(caller: Caller): Promise<void> {
    const since = new Date(this.clock.now().getTime() - 3600_000);
    const { rows } = await this.database.query<{ n: string }>('SELECT count(*) AS n FROM trainee_lookups WHERE user_id = $1 AND looked_up_at > $2', [caller.userId, since]);
    if (Number(rows[0].n) >= LOOKUPS_PER_HOUR) throw new TooManyLookups();
  }

  /** Counts and audits one, with the trainee found (null for none): who asked, never what they asked with. */
  async record(caller: Caller, traineeId: string | null): Promise<void> {
    await this.database.query('INSERT INTO trainee_lookups (user_id, actor, trainee_id, looked_up_at) VALUES ($1, $2, $3, $4)', [caller.userId, actorOf(caller), traineeId, this.clock.now()]);
    await this.audit.read(caller, 'trainees:lookup', traineeId ? traineeStreamId(traineeId) : null);
  }
}
