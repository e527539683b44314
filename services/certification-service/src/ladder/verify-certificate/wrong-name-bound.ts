import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CLOCK, ProblemError, RUNTIME_CONFIG, RuntimeConfig } from '@skills/service-runtime';

const DAY_MS = 86_400_000;

/** The UTC day of an instant, as the `date` the count is kept under. */
const utcDayOf = (instant: Date) => instant.toISOString().slice(0, 10);

/** Whole seconds from `instant` to the end of its UTC day, when name checks on the number resume (at least 1). */
const secondsToEndOfUtcDay = (instant: Date) => Math.max(1, Math.ceil(((Math.floor(instant.getTime() / DAY_MS) + 1) * DAY_MS - instant.getTime()) / 1000));

/**
 * How many times the per-address limit all addresses together may spend on one number in a UTC day: a
 * ceiling a guesser with many addresses meets (with the default 5, 50 names a day for one holder), and
 * one that locking a number against everyone takes ten addresses to reach, where one once sufficed.
 */
const ADDRESSES_TO_THE_CEILING = 10;

/**
 * The 429 of a name check refused unasked, the same for every name, so it tells none of them. `rule`,
 * `limit` and `retryAfter` as every `rate_limited`; the detail says whose count is spent.
 */
const wrongNamesSpent = (detail: string, limit: number, retryAfter: number) =>
  new ProblemError({ type: 'urn:skills:http:429', title: 'too many requests', status: 429, detail, rule: 'rate_limited', limit, retryAfter });

const spentAtAddress = (limit: number, retryAfter: number) =>
  wrongNamesSpent(
    `this client address gave ${limit} wrong holder names for this certificate number today (UTC); no name from it is checked with this number until the day ends, in ${retryAfter} s (the number alone still verifies it)`,
    limit,
    retryAfter,
  );

const spentForNumber = (ceiling: number, retryAfter: number) =>
  wrongNamesSpent(
    `this certificate number was given ${ceiling} wrong holder names today (UTC), from many addresses; no name is checked with it until the day ends, in ${retryAfter} s (the number alone still verifies it)`,
    ceiling,
    retryAfter,
  );

/**
 * The bound on guessing a holder's name, which must not lock the holder's employer out for someone else's
 * guesses: at most VERIFY_WRONG_NAMES_PER_CERTIFICATE_PER_DAY wrong names per certificate number, client
 * address and UTC day, after which that address alone gets no name checked with that number (every other
 * address and number goes on); and, whatever addresses or replicas they come from, at most
 * ADDRESSES_TO_THE_CEILING times as many per number, after which nobody does, so that a guesser with many
 * addresses still gets few tries (the per-minute limit per address alone multiplies with replicas and
 * addresses, and restarts from zero). The counts live in the database: `verification_wrong_names_by_address`
 * (the number, the address, the day and how many) and `verification_wrong_names` (the number, the day and
 * how many), never a name.
 *
 * A fixed UTC day rather than a rolling 24 h, so one count per number (and address) is all that is kept: at
 * most twice a limit can be spent across one midnight, and never more than that in any 24 h.
 */
@Injectable()
export class WrongNameBound {
  private readonly limit: number;
  private readonly ceiling: number;

  constructor(
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME_CONFIG) config: RuntimeConfig,
  ) {
    this.limit = config.verifyWrongNamesPerCertificatePerDay;
    this.ceiling = config.verifyWrongNamesPerCertificatePerDay * ADDRESSES_TO_THE_CEILING;
  }

  /**
   * Whether `nameIsRight` says yes, within the bound. The check is counted as wrong, for the address and for
   * the number, before the name is asked, in one transaction that refuses once either count is spent (and
   * then counts nothing), so concurrent guesses from many replicas cannot all slip under it; a right name (or
   * no answer at all) gives its counts back. Once spent, every name is answered 429 without being asked, the
   * holder's own too: checked and answered otherwise, the answer would tell a right name from a wrong one.
   * `address`: the client's, as the per-address limit counts it (request.ip).
   */
  async check(certificateNumber: string, address: string, nameIsRight: () => Promise<boolean>): Promise<boolean> {
    const now = this.clock.now();
    const day = utcDayOf(now);
    await this.database.transaction(async (tx) => {
      // Past days count for nothing: the tables hold today's counts (and yesterday's until the first check of the day).
      await tx.query('DELETE FROM verification_wrong_names_by_address WHERE day < $1', [day]);
      await tx.query('DELETE FROM verification_wrong_names WHERE day < $1', [day]);
      // The address's row first, the number's after, in every check: concurrent ones never wait for each other in a circle.
      const atAddress = await tx.query(
        `INSERT INTO verification_wrong_names_by_address (certificate_number, address, day, wrong_names) VALUES ($1, $2, $3, 1)
         ON CONFLICT (certificate_number, address, day) DO UPDATE SET wrong_names = verification_wrong_names_by_address.wrong_names + 1
         WHERE verification_wrong_names_by_address.wrong_names < $4`,
        [certificateNumber, address, day, this.limit],
      );
      if (atAddress.rowCount === 0) throw spentAtAddress(this.limit, secondsToEndOfUtcDay(now));
      const forNumber = await tx.query(
        `INSERT INTO verification_wrong_names (certificate_number, day, wrong_names) VALUES ($1, $2, 1)
         ON CONFLICT (certificate_number, day) DO UPDATE SET wrong_names = verification_wrong_names.wrong_names + 1
         WHERE verification_wrong_names.wrong_names < $3`,
        [certificateNumber, day, this.ceiling],
      );
      // Thrown in the transaction: the address's count just taken goes back with it.
      if (forNumber.rowCount === 0) throw spentForNumber(this.ceiling, secondsToEndOfUtcDay(now));
    });
    let right: boolean;
    try {
      right = await nameIsRight();
    } catch (error) {
      await this.giveBack(certificateNumber, address, day);
      throw error;
    }
    if (right) await this.giveBack(certificateNumber, address, day);
    return right;
  }

  private async giveBack(certificateNumber: string, address: string, day: string): Promise<void> {
    await this.database.query(
      'UPDATE verification_wrong_names_by_address SET wrong_names = wrong_names - 1 WHERE certificate_number = $1 AND address = $2 AND day = $3 AND wrong_names > 0',
      [certificateNumber, address, day],
    );
    await this.database.query('UPDATE verification_wrong_names SET wrong_names = wrong_names - 1 WHERE certificate_number = $1 AND day = $2 AND wrong_names > 0', [certificateNumber, day]);
  }
}
