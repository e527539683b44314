import { Inject, Injectable } from '@nestjs/common';
import { Clock, DomainRefusal, UnknownEntity } from '@skills/domain-kernel';
import { Database } from '@skills/postgres';
import { CLOCK, LocalIssuer } from '@skills/service-runtime';
import { exportJWK, generateKeyPair, importJWK, JSONWebKeySet, JWK, KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';

const ALGORITHM = 'ES256';

/**
 * How long a key stays published once a newer one signs: the longest an access token can live
 * (ACCESS_TOKEN_SECONDS at most), so every token it signed has expired when it goes. A key that leaked
 * is retired at once instead (`retire`).
 */
export const PUBLISHED_AFTER_SUPERSEDED_SECONDS = 3600;

/** How long a process signs with the key it read before it looks again (another replica may have rotated). */
const SIGNING_KEY_READ_MS = 60_000;

/** A signing key as an administrator sees it: `signing` (the newest), `published` (tokens it signed still verify) or `retired`. */
export interface SigningKeyState {
  kid: string;
  createdAt: string;
  state: 'signing' | 'published' | 'retired';
  /** When it stopped verifying tokens, or will (superseded keys); null for the signing key. */
  until: string | null;
}

/** Each key with the moment the next one was made (null for the newest, which signs), newest first. */
const KEYS_STATEMENT = `
  SELECT kid, public_jwk, created_at, retired_at, lag(created_at) OVER (ORDER BY created_at DESC) AS superseded_at
    FROM signing_keys ORDER BY created_at DESC`;

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
  private active?: { key: Promise<ActiveKey>; until: number };

  constructor(
    private readonly database: Database,
    private readonly local: LocalIssuer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The key to sign with, read again after a minute; made on first use when the schema has none. */
  current(): Promise<ActiveKey> {
    if (this.active && this.active.until > this.clock.now().getTime()) return this.active.key;
    const key = this.loadOrCreate().catch((error) => {
      this.active = undefined;
      throw error;
    });
    this.active = { key, until: this.clock.now().getTime() + SIGNING_KEY_READ_MS };
    return key;
  }

  /** A new signing key; the previous ones stay published for PUBLISHED_AFTER_SUPERSEDED_SECONDS unless retired. */
  async rotate(): Promise<{ kid: string }> {
    const created = await this.create();
    this.active = { key: Promise.resolve(created), until: this.clock.now().getTime() + SIGNING_KEY_READ_MS };
    this.local.keysChanged();
    return { kid: created.kid };
  }

  /** Every key, newest first, with its state. */
  async list(): Promise<SigningKeyState[]> {
    return (await this.rows()).map((row) => stateOf(row, this.clock.now()));
  }

  /** Tokens it signed stop verifying. Not the signing key (rotate first), nor one retired already. */
  async retire(kid: string): Promise<SigningKeyState> {
    const key = (await this.list()).find((candidate) => candidate.kid === kid);
    if (!key) throw new UnknownEntity('signing key', kid);
    if (key.state === 'signing') throw new DomainRefusal('signing_key_in_use', `signing key ${kid} signs the tokens issued now: rotate first, then retire it`, { kid });
    if (key.state === 'retired') throw new DomainRefusal('signing_key_already_retired', `signing key ${kid} is retired already`, { kid });
    const { rows } = await this.database.query<{ retired_at: Date }>('UPDATE signing_keys SET retired_at = now() WHERE kid = $1 AND retired_at IS NULL RETURNING retired_at', [kid]);
    if (!rows[0]) throw new DomainRefusal('signing_key_already_retired', `signing key ${kid} is retired already`, { kid });
    this.local.keysChanged();
    return { kid, createdAt: key.createdAt, state: 'retired', until: rows[0].retired_at.toISOString() };
  }

  /** The keys tokens are verified with: the signing key and those published still. */
  async jwks(): Promise<JSONWebKeySet> {
    return { keys: (await this.rows()).filter((row) => stateOf(row, this.clock.now()).state !== 'retired').map((row) => row.public_jwk) };
  }

  private async rows(): Promise<KeyRow[]> {
    await this.current();
    return (await this.database.query<KeyRow>(KEYS_STATEMENT)).rows;
  }

  private async loadOrCreate(): Promise<ActiveKey> {
    const { rows } = await this.database.query<{ kid: string; private_jwk: JWK }>(
      'SELECT kid, private_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
    );
    if (rows[0]) return { kid: rows[0].kid, privateKey: await importJWK(rows[0].private_jwk, ALGORITHM) };
    return this.create();
  }

  private async create(): Promise<ActiveKey> {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM };
    await this.database.query('INSERT INTO signing_keys (kid, algorithm, private_jwk, public_jwk) VALUES ($1, $2, $3, $4)', [kid, ALGORITHM, privateJwk, publicJwk]);
    return { kid, privateKey };
  }
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  created_at: Date;
  retired_at: Date | null;
  superseded_at: Date | null;
}

function stateOf(row: KeyRow, now: Date): SigningKeyState {
  const createdAt = row.created_at.toISOString();
  if (row.retired_at) return { kid: row.kid, createdAt, state: 'retired', until: row.retired_at.toISOString() };
  if (!row.superseded_at) return { kid: row.kid, createdAt, state: 'signing', until: null };
  const until = new Date(row.superseded_at.getTime() + PUBLISHED_AFTER_SUPERSEDED_SECONDS * 1000);
  return { kid: row.kid, createdAt, state: until > now ? 'published' : 'retired', until: until.toISOString() };
}
