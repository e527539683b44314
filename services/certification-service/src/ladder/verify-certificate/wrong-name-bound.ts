import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CLOCK, ProblemError, RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';

const DAY_MS = 86_400_000;

/** The UTC day of an instant, as the `date` the count is kept under. */
const utcDayOf = (instant: Date) => instant.toISOString().slice(0, 10);

/** Whole seconds from `instant` to the end of its UTC day, when name checks on the number resume (at least 1). */
const secondsToEndOfUtcDay = (instant: Date) => Math.max(1, Math.ceil(((Math.floor(instant.getTime() / DAY_MS) + 1) * DAY_MS - instant.getTime()) / 1000));

/** The 429 of a number whose wrong names are spent for the day: the same for every name, so it tells none of them. */
const wrongNamesSpent = (limit: number, retryAfter: number) =>
  new ProblemError({
    type: 'urn:skills:http:429',
    title: 'too many requests',
    status: 429,
    detail: `this certificate number was verified with ${limit} wrong holder names today (UTC); no name is checked with it until the day ends, in ${retryAfter} s`,
    rule: 'rate_limited',
    limit,
    retryAfter,
  });

/**
 * The bound on guessing a holder's name: at most VERIFY_WRONG_NAMES_PER_CERTIFICATE_PER_DAY wrong names
 * per certificate number and UTC day, whatever address or replica they come from (the per-address limit
 * alone multiplies with replicas and addresses, and restarts from zero). The count lives in
 * `verification_wrong_names`: the number, the day and how many, never a name.
 *
 * A fixed UTC day rather than a rolling 24 h, so one count per number is all that is kept: at most twice
 * the limit can be spent across one midnight, and never more than that in any 24 h.
 */
@Injectable()
export class WrongNameBound {
  private readonly limit: number;

  constructor(
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME_CONFIG) config: RuntimeConfig,
  ) {
    this.limit = config.verifyWrongNamesPerCertificatePerDay;
  }

  /**
   * Whether `nameIsRight` says yes, within the bound. The check is counted as wrong before the name is
   * asked, in one statement that refuses once the day's count is spent, so concurrent guesses from many
   * replicas cannot all slip under it; a right name (or no answer at all) gives its count back. Once
   * spent, every name is answered 429 without being asked, the holder's own too.
   */
  async check(certificateNumber: string, nameIsRight: () => Promise<boolean>): Promise<boolean> {
    const now = this.clock.now();
    const day = utcDayOf(now);
    // Past days count for nothing: the table holds today's counts (and yesterday's until the first check of the day).
    await this.database.query('DELETE FROM verification_wrong_names WHERE day < $1', [day]);
    const { rowCount } = await this.database.query(
      `INSERT INTO verification_wrong_names (certificate_number, day, wrong_names) VALUES ($1, $2, 1)
       ON CONFLICT (certificate_number, day) DO UPDATE SET wrong_names = verification_wrong_names.wrong_names + 1
       WHERE verification_wrong_names.wrong_names < $3`,
      [certificateNumber, day, this.limit],
    );
    if (rowCount === 0) throw wrongNamesSpent(this.limit, secondsToEndOfUtcDay(now));
    let right: boolean;
    try {
      right = await nameIsRight();
    } catch (error) {
      await this.giveBack(certificateNumber, day);
      throw error;
    }
    if (right) await this.giveBack(certificateNumber, day);
    return right;
  }

  private async giveBack(certificateNumber: string, day: string): Promise<void> {
    await this.database.query('UPDATE verification_wrong_names SET wrong_names = wrong_names - 1 WHERE certificate_number = $1 AND day = $2 AND wrong_names > 0', [certificateNumber, day]);
  }
}
