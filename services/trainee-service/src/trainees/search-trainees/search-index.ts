import { Sql, Statement } from '@skills/postgres';
import { traineeStreamId } from '../trainee.aggregate';
import { Searchable, searchKeyFingerprint, searchTokensOf } from './search-tokens';

/**
 * `trainee_search_index`: one row per trainee whose personal data can be read, with the tokens of
 * search-tokens.ts, the fingerprint of the key they were made with and the log position of their
 * registration (newest first). Written in the same transaction as the events that seal, reseal or
 * erase the personal data (registration, correction, erasure, void), so a search never sees a name the
 * record no longer holds.
 */

/**
 * A new registration, or a backfilled or re-keyed one. Called under the trainee's stream lock with the
 * record as it reads now, so its tokens replace any the row holds. The row's place (newest first) is
 * its TraineeRegistered's global position, read in the statement, so it may be sent in the same round
 * trip as that event's append (a registration's last statements).
 */
export async function indexTrainee(tx: Sql, traineeId: string, person: Searchable): Promise<void> {
  await indexTrainees(tx, [{ traineeId, person }]);
}

/** Many trainees in one statement (a bulk import's registrations); each row's tokens travel as a JSON array. */
export async function indexTrainees(tx: Sql, trainees: Array<{ traineeId: string; person: Searchable }>): Promise<void> {
  const { text, values } = indexStatement(trainees);
  await tx.query(text, values);
}

/** The same as a statement, to send with a command's last ones (a registration's side writes, after its append). */
export function indexStatement(trainees: Array<{ traineeId: string; person: Searchable }>): Statement {
  return {
    // A trainee without a registration in the log fails on registered_position's NOT NULL: never indexed unplaced.
    text: `INSERT INTO trainee_search_index (trainee_id, registered_position, tokens, key_fingerprint)
     SELECT t.trainee_id, (SELECT global_position FROM events WHERE stream_id = t.stream_id AND stream_version = 1),
            ARRAY(SELECT jsonb_array_elements_text(t.tokens)), $4
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS t(trainee_id, stream_id, tokens)
     ON CONFLICT (trainee_id) DO UPDATE SET tokens = EXCLUDED.tokens, key_fingerprint = EXCLUDED.key_fingerprint`,
    values: [trainees.map((each) => each.traineeId), trainees.map((each) => traineeStreamId(each.traineeId)), trainees.map((each) => JSON.stringify(searchTokensOf(each.person))), searchKeyFingerprint()],
  };
}

/** A correction: the tokens of the record as it now reads replace the old ones. */
export async function reindexTrainee(tx: Sql, traineeId: string, person: Searchable): Promise<void> {
  await tx.query('UPDATE trainee_search_index SET tokens = $2, key_fingerprint = $3 WHERE trainee_id = $1', [traineeId, searchTokensOf(person), searchKeyFingerprint()]);
}

/** Erasure or a void: the person is found by nothing any more. */
export async function unindexTrainee(tx: Sql, traineeId: string): Promise<void> {
  await tx.query('DELETE FROM trainee_search_index WHERE trainee_id = $1', [traineeId]);
}
