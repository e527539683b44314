import { Injectable } from '@nestjs/common';
import { DomainRefusal, UnknownEntity } from '@skills/domain-kernel';
import { Caller } from '@skills/contracts';
import { Database, Sql } from '@skills/postgres';
import { AuditTrail, LocalIssuer } from '@skills/service-runtime';
import { exportJWK, generateKeyPair, importJWK, JSONWebKeySet, JWK, KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';

const ALGORITHM = 'ES256';

/**
 * How long a key stays published once a newer one signs: the longest an access token can live
 * (ACCESS_TOKEN_SECONDS at most 3600), and two minutes for clocks apart, so every token it signed has
 * expired when it goes. A key that leaked is retired at once instead (`retire`).
 */
export const PUBLISHED_AFTER_SUPERSEDED_SECONDS = 3600 + 120;

/** A signing key as an administrator sees it: `signing` (the newest), `published` (tokens it signed still verify) or `retired`. */
export interface SigningKeyState {
  kid: string;
  createdAt: string;
  state: 'signing' | 'published' | 'retired';
  /** When it stopped verifying tokens, or will (superseded keys); null for the signing key. */
  until: string | null;
}

/** The newest first, a tie (two replicas making the first key at once) broken alike everywhere. */
const NEWEST_FIRST = 'ORDER BY created_at DESC, kid DESC';

/**
 * Each key with its state, newest first, judged by the database's clock, which dated the keys: the
 * newest signs; an older one is published until PUBLISHED_AFTER_SUPERSEDED_SECONDS after the next was made.
 */
const KEYS_STATEMENT = `
  SELECT kid, public_jwk, created_at, coalesce(retired_at, superseded_at + interval '${PUBLISHED_AFTER_SUPERSEDED_SECONDS} seconds') AS until,
         CASE WHEN retired_at IS NOT NULL THEN 'retired'
              WHEN superseded_at IS NULL THEN 'signing'
              WHEN superseded_at + interval '${PUBLISHED_AFTER_SUPERSEDED_SECONDS} seconds' > now() THEN 'published'
              ELSE 'retired' END AS state
    FROM (SELECT *, lag(created_at) OVER (${NEWEST_FIRST}) AS superseded_at FROM signing_keys) keys
   ${NEWEST_FIRST}`;

interface ActiveKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
}

/**
 * The issuer's signing keys, kept in identity's schema. The newest unretired key signs; the JWKS lists
 * it and the keys it superseded within the last PUBLISHED_AFTER_SUPERSEDED_SECONDS, so a rotation leaves
 * tokens signed before it valid until they expire, and a key no token can need any more is no longer
 * trusted. An administrator retires a key at once (one that leaked): tokens it signed stop working
 * here at once and in other processes within a minute (their copies of the keys), and a client signs
 * in again with its refresh token, which is not signed.
 */
@Injectable()
export class SigningKeys {
  /** The signing key as imported, kept while it stays the newest. */
  private imported?: ActiveKey;
  private creating?: Promise<ActiveKey>;

  constructor(
    private readonly database: Database,
    private readonly local: LocalIssuer,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The key to sign with, asked of the database at every token issued, so no replica signs with a key
   * another one has superseded or retired; made on first use when the schema has none.
   */
  async current(): Promise<ActiveKey> {
    const { rows } = await this.database.query<{ kid: string; private_jwk: JWK }>(`SELECT kid, private_jwk FROM signing_keys WHERE retired_at IS NULL ${NEWEST_FIRST} LIMIT 1`);
    const newest = rows[0];
    if (!newest) {
      this.creating ??= this.create().finally(() => (this.creating = undefined));
      return this.creating;
    }
    if (this.imported?.kid !== newest.kid) {
      this.imported = { kid: newest.kid, privateKey: await importJWK(newest.private_jwk, ALGORITHM) };
      // A key another replica made (a rotation there): the copies of the keys here are read again, so the
      // tokens signed here verify here at once (an unknown kid alone has them read at most every 5 s).
      this.local.keysChanged();
    }
    return this.imported;
  }

  /**
   * A new signing key; the previous ones stay published for PUBLISHED_AFTER_SUPERSEDED_SECONDS unless retired.
   * `by` (an administrator) is audited in the key's transaction.
   */
  async rotate(by: Caller): Promise<{ kid: string }> {
    const created = await this.database.transaction(async (tx) => {
      const key = await this.create(tx);
      await this.audit.changed(tx, by, 'RotateSigningKey', `signing-key-${key.kid}`, null);
      return key;
    });
    this.local.keysChanged();
    return { kid: created.kid };
  }

  /** Every key, newest first, with its state. */
  async list(): Promise<SigningKeyState[]> {
    return (await this.rows()).map(stateOf);
  }

  /** Tokens it signed stop verifying. Not the signing key (rotate first), nor one retired already. */
  async retire(kid: string, by: Caller): Promise<SigningKeyState> {
    const key = (await this.list()).find((candidate) => candidate.kid === kid);
    if (!key) throw new UnknownEntity('signing key', kid);
    if (key.state === 'signing') throw new DomainRefusal('signing_key_in_use', `signing key ${kid} signs the tokens issued now: rotate first, then retire it`, { kid });
    if (key.state === 'retired') throw new DomainRefusal('signing_key_already_retired', `signing key ${kid} is retired already`, { kid });
    const rows = await this.database.transaction(async (tx) => {
      const retired = await tx.query<{ retired_at: Date }>('UPDATE signing_keys SET retired_at = now() WHERE kid = $1 AND retired_at IS NULL RETURNING retired_at', [kid]);
      if (retired.rows[0]) await this.audit.changed(tx, by, 'RetireSigningKey', `signing-key-${kid}`, null);
      return retired.rows;
    });
    if (!rows[0]) throw new DomainRefusal('signing_key_already_retired', `signing key ${kid} is retired already`, { kid });
    this.local.keysChanged();
    return { ...key, state: 'retired', until: rows[0].retired_at.toISOString() };
  }

  /** The keys tokens are verified with: the signing key and those published still. */
  async jwks(): Promise<JSONWebKeySet> {
    return { keys: (await this.rows()).filter((row) => row.state !== 'retired').map((row) => row.public_jwk) };
  }

  /** The keys with their states; on a schema that has none yet, the first is made (as a first sign-in would). */
  private async rows(): Promise<KeyRow[]> {
    const { rows } = await this.database.query<KeyRow>(KEYS_STATEMENT);
    if (rows.length > 0) return rows;
    await this.current();
    return (await this.database.query<KeyRow>(KEYS_STATEMENT)).rows;
  }

  private async create(sql: Sql = this.database): Promise<ActiveKey> {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM };
    await sql.query('INSERT INTO signing_keys (kid, algorithm, private_jwk, public_jwk) VALUES ($1, $2, $3, $4)', [kid, ALGORITHM, privateJwk, publicJwk]);
    return { kid, privateKey };
  }
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  created_at: Date;
  until: Date | null;
  state: SigningKeyState['state'];
}

const stateOf = (row: KeyRow): SigningKeyState => ({ kid: row.kid, createdAt: row.created_at.toISOString(), state: row.state, until: row.until?.toISOString() ?? null });
