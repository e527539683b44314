import { HttpException, HttpStatus, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@skills/domain-kernel';
import { Database, Sql } from '@skills/postgres';
import { CLOCK } from '@skills/service-runtime';
import { createHash } from 'node:crypto';

/** Failed sign-ins allowed in the window before further attempts are refused. */
export const SIGN_IN_LIMITS = { perUsername: 5, perAddress: 20, windowMinutes: 15 };
/** How often the failures out of the window are forgotten, sign-ins or none. */
const FORGET_EVERY_MS = 60_000;

/** 429 with Retry-After: too many failed sign-ins for this username or from this address. */
export class TooManySignIns extends HttpException {
  constructor(retryAfterSeconds: number) {
    super({ message: 'too many failed sign-ins; try again later', rule: 'too_many_sign_ins', retryAfter: retryAfterSeconds }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Limits password guessing per username and per address, counted in the database so that every replica
 * of identity-service sees the same count. A success does not clear the count: the window does.
 *
 * A username is often a trainee's phone number or name, and people type passwords into its field: the
 * table holds its hash, never the text, and only while it counts (the window): the hash is unkeyed
 * (identity-service holds no secret of its own), so a phone number could be found from it by trying
 * them all, and it is kept no longer than it is needed: a failure out of the window is forgotten with
 * the next failure, and within a minute anyway. A trainee's erasure takes theirs at once.
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

  /** Forgets the failures that no longer count (out of the window); answers how many. */
  async forgetOutOfWindow(): Promise<number> {
    const { rowCount } = await this.database.query('DELETE FROM sign_in_failures WHERE failed_at < $1', [this.windowStart()]);
    return rowCount ?? 0;
  }

  private windowStart(): Date {
    return new Date(this.clock.now().getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  }

  async check(username: string, address: string): Promise<void> {
    const { rows } = await this.database.query<{ subject: string; failures: string }>(
      'SELECT subject, count(*) AS failures FROM sign_in_failures WHERE subject = ANY($1) AND failed_at > $2 GROUP BY subject',
      [[userSubject(username), addressSubject(address)], this.windowStart()],
    );
    const failures = new Map(rows.map((row) => [row.subject, Number(row.failures)]));
    if ((failures.get(userSubject(username)) ?? 0) >= SIGN_IN_LIMITS.perUsername || (failures.get(addressSubject(address)) ?? 0) >= SIGN_IN_LIMITS.perAddress) {
      throw new TooManySignIns(SIGN_IN_LIMITS.windowMinutes * 60);
    }
  }

  async failed(username: string, address: string): Promise<void> {
    await this.database.query(
      `WITH forgotten AS (DELETE FROM sign_in_failures WHERE failed_at < $4)
       INSERT INTO sign_in_failures (subject, failed_at) VALUES ($1, $3), ($2, $3)`,
      [userSubject(username), addressSubject(address), this.clock.now(), this.windowStart()],
    );
  }
}

/** Forgets the failed sign-ins under a username (an erased trainee's, whose username is often their phone). */
export async function forgetSignInFailures(sql: Sql, username: string): Promise<void> {
  await sql.query('DELETE FROM sign_in_failures WHERE subject = $1', [userSubject(username)]);
}

/** The username's SHA-256 (lower case, UTF-8, hex): the same in SignInFailuresHashed's SQL. */
const userSubject = (username: string) => `user:${createHash('sha256').update(username.toLowerCase()).digest('hex')}`;
const addressSubject = (address: string) => `address:${address}`;
