import { Sql } from '@skills/postgres';
import { Searchable, searchTokensOf } from './search-tokens';

/**
 * `trainee_search_index`: one row per trainee whose personal data can be read, with the tokens of
 * search-tokens.ts and the log position of their registration (newest first). Written in the same
 * transaction as the events that seal, reseal or erase the personal data (registration, correction,
 * erasure, void), so a search never sees a name the record no longer holds.
 */

/** A new registration (or a backfilled one): `registeredPosition` is its TraineeRegistered's global position. */
export async function indexTrainee(tx: Sql, traineeId: string, registeredPosition: string, person: Searchable): Promise<void> {
  await tx.query(
    `INSERT INTO trainee_search_index (trainee_id, registered_position, tokens) VALUES ($1, $2, $3)
     ON CONFLICT (trainee_id) DO NOTHING`,
    [traineeId, registeredPosition, searchTokensOf(person)],
  );
}

/** A correction: the tokens of the record as it now reads replace the old ones. */
export async function reindexTrainee(tx: Sql, traineeId: string, person: Searchable): Promise<void> {
  await tx.query('UPDATE trainee_search_index SET tokens = $2 WHERE trainee_id = $1', [traineeId, searchTokensOf(person)]);
}

/** Erasure or a void: the person is found by nothing any more. */
export async function unindexTrainee(tx: Sql, traineeId: string): Promise<void> {
  await tx.query('DELETE FROM trainee_search_index WHERE trainee_id = $1', [traineeId]);
}
