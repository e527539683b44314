import { Inject, Injectable } from '@nestjs/common';
import { Role, ROLES } from '@skills/contracts';
import { Clock } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CLOCK } from '@skills/service-runtime';
import { Secret, TOTP } from 'otpauth';

// TOTP second factors (RFC 6238: SHA-1, 6 digits, 30-second steps, what authenticator apps expect),
// computed with otpauth. The secret is kept in `totp_secrets` (the user's stream only records that one
// was enrolled and confirmed); a code is accepted once: the last accepted time step is kept per user.

export const TOTP_ISSUER = 'Skills Ladder';
const PERIOD_SECONDS = 30;
/** Steps either side of now a code is still accepted for: an authenticator's clock may drift. */
const WINDOW_STEPS = 1;

/** The roles whose users must have a confirmed second factor to sign in with a password. */
export const REQUIRE_TOTP_ROLES = Symbol('REQUIRE_TOTP_ROLES');

/** REQUIRE_TOTP_ROLES, comma-separated (default: none); an unknown role stops the service at start. */
export function requiredTotpRoles(value: string | undefined): Role[] {
  const roles = (value ?? '').split(',').map((role) => role.trim()).filter((role) => role.length > 0);
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (unknown.length > 0) throw new Error(`REQUIRE_TOTP_ROLES names unknown roles: ${unknown.join(', ')} (known: ${ROLES.join(', ')})`);
  return roles as Role[];
}

export const totpOf = (secret: string, username = ''): TOTP =>
  new TOTP({ issuer: TOTP_ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });

@Injectable()
export class Totps {
  constructor(
    private readonly database: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new random secret (160 bits, base32) and the otpauth:// URI an authenticator app scans. */
  issue(username: string): { secret: string; otpauthUri: string } {
    const secret = new Secret({ size: 20 }).base32;
    return { secret, otpauthUri: totpOf(secret, username).toString() };
  }

  /** The time step `code` is valid for now, or undefined if it is not valid. */
  stepOf(secret: string, code: string): number | undefined {
    const timestamp = this.clock.now().getTime();
    const delta = totpOf(secret).validate({ token: code, timestamp, window: WINDOW_STEPS });
    return delta === null ? undefined : Math.floor(timestamp / 1000 / PERIOD_SECONDS) + delta;
  }

  async secretOf(userId: string): Promise<string | undefined> {
    const { rows } = await this.database.query<{ secret: string }>('SELECT secret FROM totp_secrets WHERE user_id = $1', [userId]);
    return rows[0]?.secret;
  }

  /**
   * Signs in with a code: true if it is valid for the user's confirmed secret and later than the last
   * code accepted (one statement, so two requests with the same code cannot both pass).
   */
  async use(userId: string, code: string): Promise<boolean> {
    const { rows } = await this.database.query<{ secret: string }>('SELECT secret FROM totp_secrets WHERE user_id = $1 AND confirmed_at IS NOT NULL', [userId]);
    const step = rows[0] ? this.stepOf(rows[0].secret, code) : undefined;
    if (step === undefined) return false;
    const used = await this.database.query(
      'UPDATE totp_secrets SET last_used_step = $2 WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $2)',
      [userId, step],
    );
    return used.rowCount === 1;
  }
}
