import { HttpException, HttpStatus, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { Database, Sql } from '@skills/postgres';
import { CLOCK, countedAddress } from '@skills/service-runtime';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Failed sign-ins allowed in the window before further attempts are refused: per username (from addresses
 * the user never signed in from), per address, and per username at one address. An address several users
 * signed in from in the last 30 days is shared (a school's router, an office's): its limit is
 * `perAddress` for each of them, up to `sharedAddressTimes` over.
 */
export const SIGN_IN_LIMITS = { perUsername: 5, perAddress: 20, sharedAddressTimes: 10, perUsernameAtAddress: 5, windowMinutes: 15 };
/** How long an address the user signed in from stays theirs for the per-username limit. */
const KNOWN_ADDRESS_DAYS = 30;
/** How often the failures out of the window are forgotten, sign-ins or none. */
const FORGET_EVERY_MS = 60_000;
/**
 * Longer than a password's check takes, even with a burst of them on the thread pool (scrypt, some 50 ms
 * each): how long an attempt at a limit waits for the attempts under way before it, and after which one
 * still counted is a failure for certain.
 */
const CHECK_MS = 2_000;
/** How often an attempt waiting for the checks under way judges again. */
const RECHECK_MS = 100;

/**
 * A subject's limit; `unless`: when it does not hold for this attempt; `widenedBy`: how many times over it
 * holds (asked only once the count reaches `limit`, seldom).
 */
interface SubjectLimit {
  subject: string;
  limit: number;
  unless?: (sql: Sql) => Promise<boolean>;
  widenedBy?: (sql: Sql) => Promise<number>;
}

type Judgement = { admitted: true; rows: string[] } | { admitted: false; settled: boolean; retryAfterSeconds: number };

/** 429 with Retry-After: too many failed sign-ins for this username or from this address. */
export class TooManySignIns extends HttpException {
  constructor(retryAfterSeconds: number) {
    super({ message: 'too many failed sign-ins; try again later', rule: 'too_many_sign_ins', retryAfter: retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** A sign-in under way: counted as failed from its start (its rows), until it is known to be none. */
export interface SignInAttempt {
  rows: string[];
  /** The address as counted and known (`countedAddress`). */
  address: string;
}

/**
 * Limits password guessing per username, per address and per username at an address, counted in the
 * database so that every replica of identity-service sees the same count. A success does not clear the
 * count: the window does.
 *
 * Each attempt is counted as failed before its password is checked (`begin`), and taken back when it
 * turns out no failure (`succeeded`, `noFailure`): checked first and counted after the hash, a burst of
 * parallel guesses all passed the check. One that finds a limit reached with attempts still under way
 * waits for their checks rather than being refused for them. The per-username limit does not hold at an
 * address the user signed in from in the last 30 days: anyone could otherwise keep any user (the admin)
 * locked out, by failing under their name every quarter of an hour. The limits per address and per
 * username at an address still hold there.
 *
 * A username is often a trainee's phone number or name, and people type passwords into its field: the
 * table holds its hash, never the text, and only while it counts (the window): the hash is unkeyed
 * (identity-service holds no secret of its own), so a phone number could be found from it by trying
 * them all, and it is kept no longer than it is needed: a failure out of the window is forgotten with
 * the next failure, and within a minute anyway. A trainee's erasure takes theirs at once.
 *
 * An address is counted and known by `countedAddress`: an IPv6 client by its /64, every address of which
 * is usually its own, so that it does not get a fresh count at each of them.
 */
@Injectable()
export class SignInLimits implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SignInLimits');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.forgetOutOfWindow().catch((error: Error) => this.logger.warn(`failed sign-ins not forgotten this time: ${error.name}`));
    }, FORGET_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Forgets the failures that no longer count (out of the window), and addresses not signed in from for 30 days; answers how many failures. */
  async forgetOutOfWindow(): Promise<number> {
    const { rowCount } = await this.database.query('DELETE FROM sign_in_failures WHERE failed_at < $1', [this.windowStart()]);
    await this.database.query('DELETE FROM sign_in_addresses WHERE signed_in_at < $1', [this.knownSince()]);
    return rowCount ?? 0;
  }

  private windowStart(): Date {
    return new Date(this.clock.now().getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  }

  private knownSince(): Date {
    return new Date(this.clock.now().getTime() - KNOWN_ADDRESS_DAYS * 86_400_000);
  }

  /**
   * Judges the attempt against the failures counted so far, then counts it as failed (`SignInAttempt`) until
   * it turns out none: 429 over a limit. Judged and counted under a lock per subject, so that attempts at
   * once are judged one after the other, each with the attempts admitted before it counted: of a burst of
   * guesses, no more than a limit's worth is tried. An attempt at a limit that counts attempts still under
   * way (whose password is being checked) waits for them (`CHECK_MS` at most): those with the right password
   * are taken back, and correct sign-ins at once (a class behind one school router) all pass. `userId`: the
   * username's user, if any.
   */
  async begin(username: string, clientAddress: string, userId: string | undefined): Promise<SignInAttempt> {
    const address = countedAddress(clientAddress);
    const limits: SubjectLimit[] = [
      // A class behind one router mistypes more than one person does: the limit grows with the users it serves.
      { subject: addressSubject(address), limit: SIGN_IN_LIMITS.perAddress, widenedBy: (sql) => this.usersSignedInFrom(sql, address) },
      { subject: pairSubject(username, address), limit: SIGN_IN_LIMITS.perUsernameAtAddress },
      // Not where the user signed in from before: nobody keeps them locked out by failing under their name.
      { subject: userSubject(username), limit: SIGN_IN_LIMITS.perUsername, unless: (sql) => this.isKnownAddress(sql, userId, address, clientAddress) },
    ];
    // Waited by rechecks, not by the Clock: the checks under way take real time, whatever a test's clock says.
    for (let waited = 0; ; waited += RECHECK_MS) {
      const judged = await this.judge(limits);
      if (judged.admitted) return { rows: judged.rows, address };
      if (judged.settled) throw new TooManySignIns(judged.retryAfterSeconds);
      // Checks under way still hold the limit (a slow machine): some may be taken back at once, so try again soon.
      if (waited >= CHECK_MS) throw new TooManySignIns(1);
      await sleep(RECHECK_MS);
    }
  }

  /**
   * The attempt counted (its rows) when no subject is at its limit; otherwise when it may try again (the
   * subjects at their limits: when enough of their oldest failures have left the window) and whether
   * waiting would change anything (`settled`: a subject is at its limit with attempts counted longer ago
   * than a check takes, failures for certain).
   */
  private judge(limits: SubjectLimit[]): Promise<Judgement> {
    const subjects = limits.map(({ subject }) => subject);
    return this.database.transaction(async (tx) => {
      // In one order (of the keys), so that attempts with a subject in common never wait for each other in a circle.
      await tx.query(
        `SELECT pg_advisory_xact_lock(key) FROM (SELECT DISTINCT hashtext('identity.sign-in:' || subject) AS key FROM unnest($1::text[]) subject ORDER BY key) keys`,
        [subjects],
      );
      const now = this.clock.now();
      const { rows } = await tx.query<{ subject: string; counted: number[] }>(
        `WITH forgotten AS (DELETE FROM sign_in_failures WHERE failed_at < $2)
         SELECT subject, array_agg((extract(epoch FROM failed_at) * 1000)::float8 ORDER BY failed_at) AS counted
           FROM sign_in_failures WHERE subject = ANY($1) AND failed_at > $2 GROUP BY subject`,
        [subjects, this.windowStart()],
      );
      const countedOf = new Map(rows.map((row) => [row.subject, row.counted]));
      const atLimit: { counted: number[]; limit: number }[] = [];
      for (const { subject, limit: base, unless, widenedBy } of limits) {
        const counted = countedOf.get(subject) ?? [];
        // In the transaction: a connection of its own from the pool, with the locks held, could wait for one for ever.
        const limit = counted.length >= base && widenedBy ? base * (await widenedBy(tx)) : base;
        if (counted.length >= limit && !(await unless?.(tx))) atLimit.push({ counted, limit });
      }
      if (atLimit.length === 0) {
        const { rows: inserted } = await tx.query<{ id: string }>('INSERT INTO sign_in_failures (subject, failed_at) SELECT unnest($1::text[]), $2 RETURNING id', [subjects, now]);
        return { admitted: true, rows: inserted.map((row) => row.id) };
      }
      const checkedBy = now.getTime() - CHECK_MS;
      const windowMs = SIGN_IN_LIMITS.windowMinutes * 60_000;
      return {
        admitted: false,
        settled: atLimit.some(({ counted, limit }) => counted.filter((at) => at <= checkedBy).length >= limit),
        // Below its limit once the oldest (counted - limit + 1) have left the window; every subject at its limit must be.
        retryAfterSeconds: Math.max(...atLimit.map(({ counted, limit }) => Math.max(1, Math.ceil((counted[counted.length - limit] + windowMs - now.getTime()) / 1000)))),
      };
    });
  }

  /** The attempt was no failed one (the right password, asked for its second factor): taken back. */
  async noFailure(attempt: SignInAttempt): Promise<void> {
    await this.database.query('DELETE FROM sign_in_failures WHERE id = ANY($1::bigint[])', [attempt.rows]);
  }

  /** The user signed in: the attempt is taken back, and the address is theirs for 30 days. */
  async succeeded(attempt: SignInAttempt, userId: string): Promise<void> {
    await this.noFailure(attempt);
    await this.database.query(
      `INSERT INTO sign_in_addresses (user_id, address, signed_in_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, address) DO UPDATE SET signed_in_at = EXCLUDED.signed_in_at`,
      [userId, attempt.address, this.clock.now()],
    );
  }

  /** How many users signed in from the address in the last 30 days, 1 to `sharedAddressTimes`: how many times over its limit holds. */
  private async usersSignedInFrom(sql: Sql, address: string): Promise<number> {
    const { rows } = await sql.query<{ users: number }>('SELECT count(DISTINCT user_id)::int AS users FROM sign_in_addresses WHERE address = $1 AND signed_in_at > $2', [address, this.knownSince()]);
    return Math.min(SIGN_IN_LIMITS.sharedAddressTimes, Math.max(1, rows[0].users));
  }

  /**
   * Known by its counted address; or by the client's exact one, as rows written before addresses were
   * counted by their /64 hold it (they are forgotten 30 days after their sign-in, like any other).
   */
  private async isKnownAddress(sql: Sql, userId: string | undefined, address: string, clientAddress: string): Promise<boolean> {
    if (!userId) return false;
    const { rows } = await sql.query('SELECT 1 FROM sign_in_addresses WHERE user_id = $1 AND address = ANY($2::text[]) AND signed_in_at > $3', [
      userId,
      [...new Set([address, clientAddress])],
      this.knownSince(),
    ]);
    return rows.length > 0;
  }
}

/** A user who may no longer sign in (disabled, erased) leaves no trace of where they signed in from. */
export async function forgetSignInAddresses(sql: Sql, userId: string): Promise<void> {
  await sql.query('DELETE FROM sign_in_addresses WHERE user_id = $1', [userId]);
}

/** Forgets the failed sign-ins under a username (an erased trainee's, whose username is often their phone). */
export async function forgetSignInFailures(sql: Sql, username: string): Promise<void> {
  // Its own, and at each address (`user:<hash>@<address>`).
  await sql.query("DELETE FROM sign_in_failures WHERE subject = $1 OR subject LIKE $1 || '@%'", [userSubject(username)]);
}

/** The username's SHA-256 (lower case, UTF-8, hex): the same in SignInFailuresHashed's SQL. */
const userSubject = (username: string) => `user:${createHash('sha256').update(username.toLowerCase()).digest('hex')}`;
const addressSubject = (address: string) => `address:${address}`;
const pairSubject = (username: string, address: string) => `${userSubject(username)}@${address}`;
