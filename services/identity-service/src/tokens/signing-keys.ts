import { Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { exportJWK, generateKeyPair, importJWK, JSONWebKeySet, JWK, KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';

const ALGORITHM = 'ES256';

interface ActiveKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
}

/**
 * The issuer's signing keys, kept in identity's schema. The newest unretired key signs; the JWKS lists
 * every unretired key, so a rotation leaves tokens signed before it valid until they expire.
 */
@Injectable()
export class SigningKeys {
  private active?: Promise<ActiveKey>;

  constructor(private readonly database: Database) {}

  /** The key to sign with; made on first use when the schema has none. */
  current(): Promise<ActiveKey> {
    this.active ??= this.loadOrCreate().catch((error) => {
      this.active = undefined;
      throw error;
    });
    return this.active;
  }

  /** A new signing key; the previous ones stay published until retired. */
  async rotate(): Promise<{ kid: string }> {
    const created = await this.create();
    this.active = Promise.resolve(created);
    return { kid: created.kid };
  }

  async jwks(): Promise<JSONWebKeySet> {
    await this.current();
    const { rows } = await this.database.query<{ public_jwk: JWK }>('SELECT public_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC');
    return { keys: rows.map((row) => row.public_jwk) };
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
