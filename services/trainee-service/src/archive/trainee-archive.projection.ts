import { Projection, RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { ArchiveEvent } from './archive.aggregate';

/**
 * The archive timeline per trainee, one row per entry key: a corrected assessment replaces the row
 * of the result it corrects, the one of the highest source version standing (as brand-service's figures
 * keep it), then of the highest position. Ordered by business date, then by when the entry was recorded.
 */
export const traineeArchive: Projection<ArchiveEvent> = {
  name: 'trainee-archive',
  table: 'trainee_archive',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      trainee_id uuid NOT NULL,
      entry_key text NOT NULL,
      kind text NOT NULL,
      at date NOT NULL,
      recorded_position bigint NOT NULL,
      context text NOT NULL,
      source_event_id uuid NOT NULL,
      details jsonb NOT NULL,
      PRIMARY KEY (trainee_id, entry_key)
    )`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_timeline ON ${table} (trainee_id, at, recorded_position)`);
    // Kept since the source's version was (NULL before: those rows are judged by position alone, as 0).
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS source_version bigint`);
  },
  apply: (tx, table, event) => upsertLatest(tx, table, [event]),
  applyAll: upsertLatest,
};

/**
 * A stretch of the log (an import's certificates) in one upsert: every entry is sent (each checked by
 * its casts, as one by one), and of one key's entries the one of the highest source version, then
 * position, is kept, as the upsert's condition leaves it when they are applied one by one.
 */
async function upsertLatest(tx: PoolClient, table: string, events: RecordedEvent<ArchiveEvent>[]): Promise<void> {
  const entries = events.filter((event) => event.type === 'ArchiveEntryRecorded');
  if (entries.length === 0) return;
  const column = <T>(of: (event: RecordedEvent<ArchiveEvent>) => T) => entries.map(of);
  await tx.query(
    `INSERT INTO ${table} (trainee_id, entry_key, kind, at, recorded_position, context, source_event_id, details, source_version)
     SELECT DISTINCT ON (trainee_id, entry_key) *
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::bigint[], $6::text[], $7::uuid[], $8::jsonb[], $9::bigint[])
            AS e(trainee_id, entry_key, kind, at, recorded_position, context, source_event_id, details, source_version)
      ORDER BY trainee_id, entry_key, coalesce(source_version, 0) DESC, recorded_position DESC
     ON CONFLICT (trainee_id, entry_key) DO UPDATE
       SET kind = excluded.kind, at = excluded.at, recorded_position = excluded.recorded_position,
           context = excluded.context, source_event_id = excluded.source_event_id, details = excluded.details,
           source_version = excluded.source_version
       WHERE (coalesce(${table}.source_version, 0), ${table}.recorded_position) < (coalesce(excluded.source_version, 0), excluded.recorded_position)`,
    [
      column((event) => event.data.traineeId),
      column((event) => event.data.key),
      column((event) => event.data.kind),
      column((event) => event.data.at),
      column((event) => event.position.globalPosition),
      column((event) => event.data.context),
      column((event) => event.data.sourceEventId),
      // Missing details stay missing (NOT NULL refuses them, as before), not the JSON text 'null'.
      column((event) => (event.data.details == null ? null : JSON.stringify(event.data.details))),
      column((event) => event.data.sourceVersion ?? null),
    ],
  );
}
