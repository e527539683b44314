import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { Clock, maskName, samePersonName, UnknownEntity } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { AuditTrail, CLOCK } from '@skills/service-runtime';
import { identityHash } from '../identity-hash';
import { traineeStreamId } from '../trainee.aggregate';
import { TraineeAnswers } from '../trainee-answer';
import { LookupTraineeDto } from './lookup-trainee.dto';

/** Lookups one user may make in an hour: enough for a day's certifications, too few to sweep a registry. */
export const LOOKUPS_PER_HOUR = 60;

class TooManyLookups extends HttpException {
  constructor() {
    super({ message: `at most ${LOOKUPS_PER_HOUR} lookups an hour`, rule: 'too_many_lookups', retryAfter: 3600 }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * How an evaluator or an employer finds a person it has no relation to yet: the exact identity number
 * and the name as people type it (samePersonName: case, width, spaces and the dot of a transliterated
 * name aside, as the search and certificate verification compare it), answered with the id and the
 * masked name only. A wrong name answers like an unknown number (404), so the lookup cannot confirm
 * whose number it is. Every lookup is counted in `trainee_lookups` (the rate limit) and audited in
 * the platform's audit log, found or not.
 */
@Injectable()
export class LookupTraineeHandler {
  constructor(
    private readonly database: Database,
    private readonly trainees: TraineeAnswers,
    private readonly audit: AuditTrail,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(body: LookupTraineeDto, caller: Caller): Promise<{ id: string; nameMasked: string }> {
    const since = new Date(this.clock.now().getTime() - 3600_000);
    const { rows: recent } = await this.database.query<{ n: string }>('SELECT count(*) AS n FROM trainee_lookups WHERE user_id = $1 AND looked_up_at > $2', [caller.userId, since]);
    if (Number(recent[0].n) >= LOOKUPS_PER_HOUR) throw new TooManyLookups();

    const found = await this.match(body);
    await this.database.query('INSERT INTO trainee_lookups (user_id, actor, trainee_id, looked_up_at) VALUES ($1, $2, $3, $4)', [
      caller.userId,
      actorOf(caller),
      found?.id ?? null,
      this.clock.now(),
    ]);
    await this.audit.read(caller, 'trainees:lookup', found ? traineeStreamId(found.id) : null);
    if (!found) throw new UnknownEntity('trainee', 'matching this identity number and name');
    return found;
  }

  private async match(body: LookupTraineeDto): Promise<{ id: string; nameMasked: string } | undefined> {
    const { rows } = await this.database.query<{ trainee_id: string }>('SELECT trainee_id FROM identity_claims WHERE identity_hash = $1', [identityHash(body.idNumber)]);
    if (!rows[0]) return undefined;
    const trainee = await this.trainees.find(rows[0].trainee_id);
    if (!trainee.name || !samePersonName(trainee.name, body.name)) return undefined;
    return { id: trainee.id, nameMasked: maskName(trainee.name) };
  }
}
