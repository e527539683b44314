import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { actorOf, Caller } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { Database, Sql } from '@skills/postgres';
import { AuditTrail, CLOCK } from '@skills/service-runtime';
import { traineeStreamId } from '../trainee.aggregate';

/** Lookups one user may make in an hour: enough for a day's certifications, too few to sweep a registry. */
export const LOOKUPS_PER_HOUR = 60;

/**
 * Lookups all users of one organisation may make together in an hour. An organisation's administrator
 * creates its users, so a limit per user alone is multiplied by creating more of them; ten clerks' full
 * hours is more than the busiest evaluation site's day needs, and caps what new users can add to a sweep.
 */
export const ORGANISATION_LOOKUPS_PER_HOUR = 10 * LOOKUPS_PER_HOUR;

/** How long an import's counted question is kept (its keyed hash), so that the same question again costs nothing: as long as a job's refused rows. */
export const QUESTIONS_KEPT_DAYS = 30;

export class TooManyLookups extends HttpException {
  constructor() {
    super(
      { message: `at most ${LOOKUPS_PER_HOUR} lookups an hour per user, and ${ORGANISATION_LOOKUPS_PER_HOUR} per organisation`, rule: 'too_many_lookups', retryAfter: 3600 },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * One of many questions asked at once, in order (an import's rows, TraineeLookups.answerable): whom its
 * answer names (null for nobody), and whether that answer is one only a lookup gives (`counted`: a number
 * registered to someone else, a number and name that match nobody), or one that is free but may be
 * given only while a lookup could be (a number nobody holds, a number and name that match someone).
 */
export interface LookupQuestion {
  found: string | null;
  counted: boolean;
  /**
   * What was asked, as a keyed hash (never the number or the name): a counted question an import answered
   * this user within QUESTIONS_KEPT_DAYS (the same file uploaded again, past an earlier cut) is answered
   * again without being counted again, as it tells them nothing new (it is audited again).
   */
  asked: string;
}

/** A lookup as recorded: whom it found (null for nobody), and what was asked (a keyed hash; null for a single lookup's). */
interface Lookup {
  found: string | null;
  asked: string | null;
}

/**
 * Every way of finding a trainee by identity number, counted per user and per organisation
 * (`trainee_lookups`, the rate limits) and audited in the platform's audit log, found or not (domain.md section 9). The lookup is
 * one; a registration refused because the number is registered is another, as its answer tells the number
 * is registered and may name the holder's id (api.md: `existingId`); an import's row whose answer a lookup
 * would give is a third.
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
   * hour, or the users of their organisation ORGANISATION_LOOKUPS_PER_HOUR together, otherwise counted and audited with the trainee found (null for none): who asked, never what
   * with. Refused before `find` runs, so a refusal takes as long whatever was asked; and counted again
   * under the locks of the user and their organisation after it, so requests at once cannot all pass the count before any is
   * recorded. `find` runs on a connection of its own, so that no count waits for one while holding the lock.
   */
  async counted(caller: Caller, find: () => Promise<string | null>): Promise<string | null> {
    await this.refuseOverLimit(this.database, caller);
    const found = await find();
    await this.record(caller, async (left) => {
      if (left < 1) throw new TooManyLookups();
      return { made: [{ found, asked: null }], again: [] };
    });
    return found;
  }

  /**
   * Questions asked at once, in their order (an import's rows, judged when the file is uploaded): whether
   * each may be answered. A question is answered while the caller has a lookup left at its place, and
   * each `counted` one answered uses one, recorded and audited as `counted` records it. Once none is left,
   * no further question is answered, counted or not: which ones go unanswered follows from the answers
   * already given, never from what the others' would have been (a file's rows past the limit are not
   * told apart into registered and free, or found and not found, by being refused or not).
   */
  async answerable(caller: Caller, questions: LookupQuestion[]): Promise<boolean[]> {
    if (questions.length === 0) return [];
    let answerable: boolean[] = [];
    await this.record(caller, async (left, tx) => {
      const answeredBefore = await this.answeredBefore(tx, caller, questions.filter((question) => question.counted).map((question) => question.asked));
      const made: Lookup[] = [];
      const again: Array<string | null> = [];
      answerable = questions.map((question) => {
        if (made.length >= left) return false;
        if (question.counted && answeredBefore.has(question.asked)) again.push(question.found);
        else if (question.counted) made.push({ found: question.found, asked: question.asked });
        return true;
      });
      return { made, again };
    });
    return answerable;
  }

  /**
   * Of these questions (keyed hashes), those an import answered this user within QUESTIONS_KEPT_DAYS, as
   * counted lookups (older ones are forgotten: ImportJobUpkeep.forgetOldLookupQuestions).
   */
  private async answeredBefore(sql: Sql, caller: Caller, asked: string[]): Promise<Set<string>> {
    if (asked.length === 0) return new Set();
    const since = new Date(this.clock.now().getTime() - QUESTIONS_KEPT_DAYS * 86_400_000);
    const { rows } = await sql.query<{ question: string }>('SELECT DISTINCT question FROM trainee_lookups WHERE user_id = $1 AND question = ANY($2::text[]) AND looked_up_at > $3', [
      caller.userId,
      asked,
      since,
    ]);
    return new Set(rows.map((row) => row.question));
  }

  /**
   * The lookups `lookupsWithin` makes of the caller's `left` in the last hour, recorded under the locks of
   * the user and of their organisation (so that lookups at once, by requests or imports, by one user or
   * many of one organisation, cannot together pass a limit), then audited one line each: who asked and
   * whom it found, never what with.
   */
  private async record(caller: Caller, lookupsWithin: (left: number, tx: Sql) => Promise<{ made: Lookup[]; again: Array<string | null> }>): Promise<void> {
    let made: Lookup[] = [];
    let again: Array<string | null> = [];
    await this.database.transaction(async (tx) => {
      // The user's first, then the organisation's: every lookup takes them in this order, so none waits in a cycle.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`trainee-lookups:${caller.userId}`]);
      if (caller.organisationId !== null) await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`trainee-lookups-of:${caller.organisationId}`]);
      ({ made, again } = await lookupsWithin(await this.leftInTheHour(tx, caller), tx));
      if (made.length === 0) return;
      await tx.query(
        'INSERT INTO trainee_lookups (user_id, organisation_id, actor, trainee_id, question, looked_up_at) SELECT $1, $2, $3, made.found, made.asked, $6 FROM unnest($4::uuid[], $5::text[]) AS made(found, asked)',
        [caller.userId, caller.organisationId, actorOf(caller), made.map((each) => each.found), made.map((each) => each.asked), this.clock.now()],
      );
    });
    // Audited each, those answered again too (not counted: they tell the user nothing new, but they are lookups).
    for (const found of [...made.map((each) => each.found), ...again]) await this.audit.read(caller, 'trainees:lookup', found ? traineeStreamId(found) : null);
  }

  private async refuseOverLimit(sql: Sql, caller: Caller): Promise<void> {
    if ((await this.leftInTheHour(sql, caller)) < 1) throw new TooManyLookups();
  }

  /**
   * The lookups the caller may still make this hour: the fewer of what their own and what their
   * organisation's limit leave. One query, each side of its OR on an index of its own
   * (trainee_lookups_user, trainee_lookups_organisation); a user of no organisation has only their own.
   */
  private async leftInTheHour(sql: Sql, caller: Caller): Promise<number> {
    const since = new Date(this.clock.now().getTime() - 3600_000);
    const { rows } = await sql.query<{ by_user: string; by_organisation: string }>(
      `SELECT count(*) FILTER (WHERE user_id = $1) AS by_user, count(*) FILTER (WHERE organisation_id = $2) AS by_organisation
         FROM trainee_lookups WHERE (user_id = $1 OR organisation_id = $2) AND looked_up_at > $3`,
      [caller.userId, caller.organisationId, since],
    );
    return Math.min(LOOKUPS_PER_HOUR - Number(rows[0].by_user), ORGANISATION_LOOKUPS_PER_HOUR - Number(rows[0].by_organisation));
  }
}
