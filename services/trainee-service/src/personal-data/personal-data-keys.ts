import { Injectable } from '@nestjs/common';
import { masterKeyFromEnvironment, newSealingKey, seal, Sealed, unseal } from '@skills/service-runtime';
import { Database, Sql, Statement } from '@skills/postgres';
import { traineeStreamId } from '../trainees/trainee.aggregate';

/**
 * One data key per trainee, in `personal_data_keys`, itself sealed with the service's master key
 * (PERSONAL_DATA_KEY), so a copy of the table alone opens nothing. Erasure deletes the row: the
 * sealed fields in the immutable event log can then never be read again (crypto-shredding).
 */
@Injectable()
export class PersonalDataKeys {
  private readonly masterKey = masterKeyFromEnvironment();

  constructor(private readonly database: Database) {}

  /** A fresh data key; `store` must run in the registration's transaction. */
  newKey(): Buffer {
    return newSealingKey();
  }

  async store(tx: Sql, traineeId: string, dataKey: Buffer): Promise<void> {
    await this.storeMany(tx, [{ traineeId, dataKey }]);
  }

  /** Many trainees' keys in one statement (a bulk import's registrations). */
  async storeMany(tx: Sql, keys: Array<{ traineeId: string; dataKey: Buffer }>): Promise<void> {
    const { text, values } = this.storeStatement(keys);
    await tx.query(text, values);
  }

  /** The same as a statement, to send with a command's last ones (a registration's side writes). */
  storeStatement(keys: Array<{ traineeId: string; dataKey: Buffer }>): Statement {
    return {
      text: 'INSERT INTO personal_data_keys (trainee_id, wrapped_key) SELECT * FROM unnest($1::uuid[], $2::jsonb[])',
      values: [keys.map((key) => key.traineeId), keys.map((key) => JSON.stringify(this.wrap(key.dataKey)))],
    };
  }

  /** The trainee's data key, or undefined once erased; `sql`: a transaction to read it in. */
  async find(traineeId: string, sql: Sql = this.database): Promise<Buffer | undefined> {
    const { rows } = await sql.query<{ wrapped_key: Sealed }>('SELECT wrapped_key FROM personal_data_keys WHERE trainee_id = $1', [traineeId]);
    return rows[0] ? this.unwrap(rows[0].wrapped_key) : undefined;
  }

  /** Many trainees' keys in one query; an erased trainee has none. */
  async findMany(traineeIds: string[], sql: Sql = this.database): Promise<Map<string, Buffer>> {
    const { rows } = await sql.query<{ trainee_id: string; wrapped_key: Sealed }>('SELECT trainee_id, wrapped_key FROM personal_data_keys WHERE trainee_id = ANY($1::uuid[])', [traineeIds]);
    return new Map(rows.map((row) => [row.trainee_id, this.unwrap(row.wrapped_key)]));
  }

  /** A data key of something else that holds personal data (an import job's rows), sealed with the master key. */
  wrap(dataKey: Buffer): Sealed {
    return seal(this.masterKey, dataKey.toString('base64'));
  }

  unwrap(wrapped: Sealed): Buffer {
    return unwrapDataKey(this.masterKey, wrapped);
  }

  /**
   * The trainee's personal data made unreadable for good: their key deleted, and what the registration
   * keeps in clear in the log taken out of it, the one change the log takes: the categories (some tell of
   * health or hardship: disabled, registered poor), and for registrations recorded before sealing the birth
   * date, gender and region (with the region, most of the identity number) (LegacyClearFieldsErased,
   * LegacyCategoriesErased). The directory forgets the categories too (traineeDirectory).
   */
  async destroy(tx: Sql, traineeId: string): Promise<void> {
    await tx.query('DELETE FROM personal_data_keys WHERE trainee_id = $1', [traineeId]);
    await tx.query(
      `UPDATE events SET data = jsonb_set(data - 'birthDate' - 'gender' - 'regionCode', '{categories}', '[]')
        WHERE stream_id = $1 AND event_type = 'TraineeRegistered'
          AND (data ? 'birthDate' OR data ? 'gender' OR data ? 'regionCode' OR data->'categories' <> '[]')`,
      [traineeStreamId(traineeId)],
    );
  }
}

/** A data key as `personal_data_keys` holds it, opened with the master key (also at a start's key check, before any module). */
export function unwrapDataKey(masterKey: Buffer, wrapped: Sealed): Buffer {
  return Buffer.from(unseal<string>(masterKey, wrapped), 'base64');
}
