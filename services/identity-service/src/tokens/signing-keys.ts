import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { masterKeyFromEnvironment, seal, Sealed, unseal } from '@skills/service-runtime';
import { exportJWK, generateKeyPair, importJWK, JSONWebKeySet, JWK, KeyLike } from 'jose';
import { randomUUID } from 'node:crypto';

const ALGORITHM = 'ES256';

interface ActiveKey {
  kid: string;
  privateKey: KeyLike | Uint8Array;
}

/**
 * The issuer's signing keys, kept in identity's schema, the private half sealed under the master key (as
 * evaluators' signing keys are): a copy of the table (a backup) signs no token without PERSONAL_DATA_KEY.
 * The newest unretired key signs; the JWKS lists every unretired key, so a rotation leaves tokens signed
 * before it valid until they expire.
 */
@Injectable()
export class SigningKeys implements OnApplicationBootstrap {
  private readonly logger = new Logger('SigningKeys');
  private active?: Promise<ActiveKey>;
  private readonly masterKey = masterKeyFromEnvironment();

  constructor(private readonly database: Database) {}

  /** Private keys stored before they were sealed (a plain JWK) are sealed now. */
  async onApplicationBootstrap(): Promise<void> {
    const { rows } = await this.database.query<{ kid: string; private_jwk: JWK }>(`SELECT kid, private_jwk FROM signing_keys WHERE private_jwk ? 'kty'`);
    for (const row of rows) await this.database.query(`UPDATE signing_keys SET private_jwk = $2 WHERE kid = $1 AND private_jwk ? 'kty'`, [row.kid, seal(this.masterKey, row.private_jwk)]);
  }

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
    const { rows } = await this.database.query<{ kid: string; private_jwk: Sealed | JWK }>(
      'SELECT kid, private_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
    );
    const [newest] = rows;
    const opened = newest && this.opened(newest.private_jwk);
    if (opened) return { kid: newest.kid, privateKey: await importJWK(opened, ALGORITHM) };
    if (newest) {
      // Sealed under another PERSONAL_DATA_KEY: the key was set (or changed) after this one was made, which
      // the key check allows only while the data holds no personal data. A new key signs from now on.
      this.logger.warn(`signing key ${newest.kid} was sealed under another PERSONAL_DATA_KEY: retired, and a new one made`);
      await this.database.query('UPDATE signing_keys SET retired_at = now() WHERE kid = $1', [newest.kid]);
    }
    return this.create();
  }

  private async create(): Promise<ActiveKey> {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM };
    await this.database.query('INSERT INTO signing_keys (kid, algorithm, private_jwk, public_jwk) VALUES ($1, $2, $3, $4)', [kid, ALGORITHM, seal(this.masterKey, privateJwk), publicJwk]);
    return { kid, privateKey };
  }

  /** The private JWK of a stored value (sealed, or plain from before sealing); undefined when this master key does not open it. */
  private opened(stored: Sealed | JWK): JWK | undefined {
    if (!('ciphertext' in stored)) return stored as JWK;
    try {
      return unseal<JWK>(this.masterKey, stored as Sealed);
    } catch {
      return undefined;
    }
  }
}
