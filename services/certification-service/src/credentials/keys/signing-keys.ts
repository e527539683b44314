import { Sql } from '@skills/postgres';
import { masterKeyFromEnvironment, seal, Sealed, unseal } from '@skills/service-runtime';
import { CredentialSigner, JsonDocument, SigningKey } from '../signing/credential-signer';
import { evaluatorDid, keyIdOf } from './evaluator-did';

interface KeyRow {
  key_number: number;
  public_key_multibase: string;
  sealed_secret: Sealed;
  retired_at: Date | null;
}

/**
 * Evaluators' Ed25519 signing keys (`evaluator_signing_keys`): made by the credentials worker, the
 * secret sealed with the master key as personal data keys are, unsealed only for the moment of signing.
 * A rotation retires the current key and makes the next: the retired key stays in the DID document, so
 * everything it signed still verifies, and signs nothing more.
 */
export class SigningKeys {
  private readonly masterKey = masterKeyFromEnvironment();

  constructor(
    private readonly signer: CredentialSigner,
    private readonly publicOrigin: string,
  ) {}

  /** The evaluator's current key; the first is made here, at the first need (its registration). */
  async current(tx: Sql, evaluatorId: string): Promise<SigningKey> {
    const found = await this.currentRow(tx, evaluatorId);
    if (found) return this.keyOf(evaluatorId, found);
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`signing-key:${evaluatorId}`]);
    return this.keyOf(evaluatorId, (await this.currentRow(tx, evaluatorId)) ?? (await this.make(tx, evaluatorId, 1)));
  }

  /**
   * The key that was the evaluator's current one at `at` (a fact's record): the first not retired by then.
   * What a certification or revocation is signed with, live or replayed: a rebuild (or a restore) after a
   * rotation signs each credential and list with the key of its day, as they were.
   */
  async at(tx: Sql, evaluatorId: string, at: string): Promise<SigningKey> {
    const { rows } = await tx.query<KeyRow>(
      `SELECT key_number, public_key_multibase, sealed_secret, retired_at FROM evaluator_signing_keys
        WHERE evaluator_id = $1 AND (retired_at IS NULL OR retired_at > $2::timestamptz) ORDER BY key_number LIMIT 1`,
      [evaluatorId, at],
    );
    return rows[0] ? this.keyOf(evaluatorId, rows[0]) : this.current(tx, evaluatorId);
  }

  /** Retires the current key and makes the next; answers the new key's id. */
  async rotate(tx: Sql, evaluatorId: string): Promise<string> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`signing-key:${evaluatorId}`]);
    const { rows } = await tx.query<{ last: number | null }>('SELECT max(key_number) AS last FROM evaluator_signing_keys WHERE evaluator_id = $1', [evaluatorId]);
    await tx.query('UPDATE evaluator_signing_keys SET retired_at = now() WHERE evaluator_id = $1 AND retired_at IS NULL', [evaluatorId]);
    const made = await this.make(tx, evaluatorId, (rows[0].last ?? 0) + 1);
    return keyIdOf(evaluatorDid(this.publicOrigin, evaluatorId), made.key_number);
  }

  /** The DID document: every key the evaluator ever signed with (retired ones too), none secret; undefined without keys. */
  async didDocument(sql: Sql, evaluatorId: string): Promise<JsonDocument | undefined> {
    const { rows } = await sql.query<KeyRow>('SELECT key_number, public_key_multibase FROM evaluator_signing_keys WHERE evaluator_id = $1 ORDER BY key_number', [evaluatorId]);
    if (rows.length === 0) return undefined;
    const did = evaluatorDid(this.publicOrigin, evaluatorId);
    const methods = rows.map((row) => ({ id: keyIdOf(did, row.key_number), type: 'Multikey', controller: did, publicKeyMultibase: row.public_key_multibase }));
    return {
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: did,
      verificationMethod: methods,
      assertionMethod: methods.map((method) => method.id),
    };
  }

  private async currentRow(sql: Sql, evaluatorId: string): Promise<KeyRow | undefined> {
    const { rows } = await sql.query<KeyRow>(
      'SELECT key_number, public_key_multibase, sealed_secret, retired_at FROM evaluator_signing_keys WHERE evaluator_id = $1 AND retired_at IS NULL ORDER BY key_number DESC LIMIT 1',
      [evaluatorId],
    );
    return rows[0];
  }

  private async make(tx: Sql, evaluatorId: string, keyNumber: number): Promise<KeyRow> {
    const pair = await this.signer.generateKey();
    const row: KeyRow = { key_number: keyNumber, public_key_multibase: pair.publicKeyMultibase, sealed_secret: seal(this.masterKey, pair.secretKeyMultibase), retired_at: null };
    await tx.query('INSERT INTO evaluator_signing_keys (evaluator_id, key_number, public_key_multibase, sealed_secret) VALUES ($1, $2, $3, $4)', [
      evaluatorId,
      keyNumber,
      row.public_key_multibase,
      JSON.stringify(row.sealed_secret),
    ]);
    return row;
  }

  private keyOf(evaluatorId: string, row: KeyRow): SigningKey {
    const did = evaluatorDid(this.publicOrigin, evaluatorId);
    return { id: keyIdOf(did, row.key_number), controller: did, publicKeyMultibase: row.public_key_multibase, secretKeyMultibase: unseal<string>(this.masterKey, row.sealed_secret) };
  }
}
