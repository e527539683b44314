import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { foldStream, readStream, streamLock } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { unseal } from '@skills/service-runtime';
import { PersonalDataKeys } from '../../personal-data/personal-data-keys';
import { PersonalData } from '../../personal-data/sealed-personal-data';
import { TraineeEvent, traineeAggregate, traineeStreamId } from '../trainee.aggregate';
import { indexTrainee } from './search-index';
import { searchKeyFingerprint } from './search-tokens';

/**
 * Indexes, at start, every trainee whose personal data can be read but whose row in the search index
 * is missing or was made with another key than the current one (its key_fingerprint): those registered
 * before the index existed or by a replica still running older code during a rolling deploy, and all of
 * them after IDENTITY_HASH_KEY changed (or TOKEN_SCHEME), when no search would find their old tokens.
 * Each from their sealed record (only this service holds the keys, so a migration cannot do it).
 * Erased and voided trainees have no key and are never indexed. Once all are indexed a start costs one
 * query. It runs beside the service, not before it: a large backlog must not hold up readiness, and
 * until it is done those trainees are only missing from searches.
 */
@Injectable()
export class SearchIndexBackfill implements OnApplicationBootstrap {
  private readonly logger = new Logger('trainee:search-index');

  constructor(
    private readonly database: Database,
    private readonly keys: PersonalDataKeys,
  ) {}

  onApplicationBootstrap(): void {
    this.run().then(
      (indexed) => indexed > 0 && this.logger.log(`indexed ${indexed} trainees not indexed under the current key`),
      (error: unknown) => this.logger.warn(`search index backfill stopped, the next start resumes it: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /** How many trainees it indexed. */
  async run(): Promise<number> {
    const fingerprint = searchKeyFingerprint();
    // No row, or one of another key (a missing row's fingerprint is NULL, distinct from any).
    const { rows } = await this.database.query<{ trainee_id: string }>(
      `SELECT k.trainee_id FROM personal_data_keys k LEFT JOIN trainee_search_index s ON s.trainee_id = k.trainee_id
       WHERE s.key_fingerprint IS DISTINCT FROM $1`,
      [fingerprint],
    );
    let indexed = 0;
    for (const { trainee_id: traineeId } of rows) if (await this.index(traineeId, fingerprint)) indexed++;
    return indexed;
  }

  /**
   * Under the lock the CommandPipeline takes on the trainee's stream, so a correction or erasure
   * either comes before (and is read here) or waits and then updates or deletes this row. A row a
   * correction re-keyed meanwhile is left as it is.
   */
  private index(traineeId: string, fingerprint: string): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const streamId = traineeStreamId(traineeId);
      await tx.query(`SELECT ${streamLock('$1')}`, [streamId]);
      const { rows: current } = await tx.query('SELECT 1 FROM trainee_search_index WHERE trainee_id = $1 AND key_fingerprint = $2', [traineeId, fingerprint]);
      if (current.length > 0) return false;
      const events = await readStream<TraineeEvent>(tx, streamId);
      const state = foldStream(traineeAggregate, events);
      const key = state.status === 'registered' ? await this.keys.find(traineeId, tx) : undefined;
      if (state.status !== 'registered' || !key) return false;
      await indexTrainee(tx, traineeId, unseal<PersonalData>(key, state.personalData));
      return true;
    });
  }
}
