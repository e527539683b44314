import { Projection } from '@skills/event-sourcing';
import { ArchiveEvent } from './archive.aggregate';

/**
 * The archive timeline per trainee, one row per entry key: a corrected assessment replaces the row
 * of the result it corrects. Ordered by business date, then by when the entry was recorded.
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
  },
  async apply(tx, table, event) {
    if (event.type !== 'ArchiveEntryRecorded') return;
    const entry = event.data;
    await tx.query(
      `INSERT INTO ${table} (trainee_id, entry_key, kind, at, recorded_position, context, source_event_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (trainee_id, entry_key) DO UPDATE
         SET kind = excluded.kind, at = excluded.at, recorded_position = excluded.recorded_position,
             context = excluded.context, source_event_id = excluded.source_event_id, details = excluded.details
         WHERE ${table}.recorded_position < excluded.recorded_position`,
      [entry.traineeId, entry.key, entry.kind, entry.at, event.position.globalPosition, entry.context, entry.sourceEventId, entry.details],
    );
  },
};
