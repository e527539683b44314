import { Sql } from '@skills/postgres';
import { randomUUID } from 'node:crypto';
import { evaluatorDid } from '../keys/evaluator-did';
import { SigningKeys } from '../keys/signing-keys';
import { CredentialSigner, JsonDocument } from '../signing/credential-signer';
import { Allocation, STATUS_LIST_LENGTH, statusListUrl } from './credential-document';

/** A list says the state of its entries now; it is valid from the platform's first day of certificates. */
const LISTS_VALID_FROM = '2020-01-01T00:00:00Z';

/**
 * Each certificate's place in its evaluator's Bitstring Status Lists (`credential_allocations`, handed
 * out in order, once), and the lists themselves, signed by the evaluator and stored
 * (`status_list_credentials`): a list exists before any credential points to it, and is signed again
 * whenever one of its certificates is revoked.
 */
export class StatusLists {
  constructor(
    private readonly signer: CredentialSigner,
    private readonly keys: SigningKeys,
    private readonly publicOrigin: string,
  ) {}

  /** The certificate's random holder id and status entry: the same every time it is asked. */
  /** `at`: when the certification was recorded, the date of a list it starts (see `sign`). */
  async allocate(tx: Sql, certificateNumber: string, evaluatorId: string, at: string): Promise<Allocation> {
    await this.lockLists(tx, evaluatorId);
    const existing = await this.allocationOf(tx, certificateNumber);
    if (existing) return existing;
    const { rows } = await tx.query<{ list_number: number; list_index: number }>(
      'SELECT list_number, list_index FROM credential_allocations WHERE evaluator_id = $1 ORDER BY list_number DESC, list_index DESC LIMIT 1',
      [evaluatorId],
    );
    const next = rows[0] ? rows[0].list_number * STATUS_LIST_LENGTH + rows[0].list_index + 1 : 0;
    const allocation = { subjectId: randomUUID(), listNumber: Math.floor(next / STATUS_LIST_LENGTH), listIndex: next % STATUS_LIST_LENGTH };
    await tx.query('INSERT INTO credential_allocations (certificate_number, evaluator_id, subject_id, list_number, list_index) VALUES ($1, $2, $3, $4, $5)', [
      certificateNumber,
      evaluatorId,
      allocation.subjectId,
      allocation.listNumber,
      allocation.listIndex,
    ]);
    if (!(await this.find(tx, evaluatorId, allocation.listNumber))) await this.sign(tx, evaluatorId, allocation.listNumber, at);
    return allocation;
  }

  /** The certificate's entry set, and its list signed again, dated `at`, the revocation's record (nothing to do for one without a credential). */
  async revoke(tx: Sql, certificateNumber: string, at: string): Promise<void> {
    const { rows: owner } = await tx.query<{ evaluator_id: string }>('SELECT evaluator_id FROM credential_allocations WHERE certificate_number = $1', [certificateNumber]);
    if (!owner[0]) return;
    await this.lockLists(tx, owner[0].evaluator_id);
    const { rows } = await tx.query<{ evaluator_id: string; list_number: number }>(
      'UPDATE credential_allocations SET revoked = true WHERE certificate_number = $1 RETURNING evaluator_id, list_number',
      [certificateNumber],
    );
    if (rows[0]) await this.sign(tx, rows[0].evaluator_id, rows[0].list_number, at);
  }

  async find(sql: Sql, evaluatorId: string, listNumber: number): Promise<JsonDocument | undefined> {
    const { rows } = await sql.query<{ credential: JsonDocument }>('SELECT credential FROM status_list_credentials WHERE evaluator_id = $1 AND list_number = $2', [evaluatorId, listNumber]);
    return rows[0]?.credential;
  }

  /**
   * One writer of an evaluator's entries and lists at a time (the live projection and a rebuild's replay
   * run side by side): each reads the revocations after the other committed, so no signed list drops one.
   */
  private async lockLists(tx: Sql, evaluatorId: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`credential-lists:${evaluatorId}`]);
  }

  private async allocationOf(sql: Sql, certificateNumber: string): Promise<Allocation | undefined> {
    const { rows } = await sql.query<{ subject_id: string; list_number: number; list_index: number }>(
      'SELECT subject_id, list_number, list_index FROM credential_allocations WHERE certificate_number = $1',
      [certificateNumber],
    );
    return rows[0] ? { subjectId: rows[0].subject_id, listNumber: rows[0].list_number, listIndex: rows[0].list_index } : undefined;
  }

  /**
   * Dated by the fact that changed the list, not by the signing: a rebuild (or a restore) replays the same
   * facts in the same order and signs the very same lists (Ed25519 signatures are deterministic).
   */
  private async sign(tx: Sql, evaluatorId: string, listNumber: number, at: string): Promise<void> {
    const { rows } = await tx.query<{ list_index: number }>('SELECT list_index FROM credential_allocations WHERE evaluator_id = $1 AND list_number = $2 AND revoked', [evaluatorId, listNumber]);
    const credential = await this.signer.statusList({
      id: statusListUrl(this.publicOrigin, evaluatorId, listNumber),
      issuer: evaluatorDid(this.publicOrigin, evaluatorId),
      length: STATUS_LIST_LENGTH,
      revoked: rows.map((row) => row.list_index),
      validFrom: LISTS_VALID_FROM,
      key: await this.keys.at(tx, evaluatorId, at),
      created: at,
    });
    await tx.query(
      `INSERT INTO status_list_credentials (evaluator_id, list_number, credential) VALUES ($1, $2, $3)
       ON CONFLICT (evaluator_id, list_number) DO UPDATE SET credential = EXCLUDED.credential, updated_at = now()`,
      [evaluatorId, listNumber, JSON.stringify(credential)],
    );
  }
}
