import { Projection, RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { archiveCourseStreamId, ArchiveEntryRecorded, ArchiveEvent } from './archive.aggregate';

/** The row a certificate's void keeps (ArchiveCertificateVoided): never answered, it leaves the certificate's entries out (archive-reads.ts). */
export const VOIDED_CERTIFICATE_ROW = 'certificate_voided';
/** The row an employment's void keeps (ArchiveEmploymentVoided): never answered, it leaves the employment's entries out (archive-reads.ts). */
export const VOIDED_EMPLOYMENT_ROW = 'employment_voided';
/** The row an enrolment's void keeps (ArchiveEnrollmentVoided): never answered, it leaves the enrolment's entries out (archive-reads.ts). */
export const VOIDED_ENROLLMENT_ROW = 'enrollment_voided';

/**
 * The archive timeline per trainee, one row per entry key: a corrected assessment replaces the row
 * of the result it corrects, the one of the highest source version standing (as brand-service's figures
 * keep it), then of the highest position. Ordered by business date, then by when the entry was recorded.
 * A certificate's entries keep the recording of its number they are of (1: the first, and every row of
 * before); a void (of a certificate, an employment or an enrolment) is a row of its own, so that it leaves
 * out the entries of what it voids whichever arrives first (a LevelCertified, a TraineeHired or an
 * AssessmentRecorded parked and retried after its void).
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
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS recording integer NOT NULL DEFAULT 1`);
    // A course's entries carry its title as of their course version; a correction of a higher version stands over it.
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS course_version bigint`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_course ON ${table} ((details ->> 'courseId')) WHERE context = 'training'`);
  },
  apply: (tx, table, event) => applyAll(tx, table, [event]),
  applyAll,
};

/**
 * Entries and voids touch rows of their own (a void's key is its message's): applied apart, they leave what
 * event by event leaves. A course's corrected title then stands over its entries' (those of this stretch too).
 */
async function applyAll(tx: PoolClient, table: string, events: RecordedEvent<ArchiveEvent>[]): Promise<void> {
  await upsertLatest(tx, table, events);
  await insertVoids(tx, table, events);
  await applyCourseTitles(tx, table, events);
}

/**
 * A course's corrected title set on every entry of the course that carries an older one (of a lower course
 * version): the entries of the courses corrected in this stretch, and this stretch's entries of courses
 * corrected before (a message of the course parked and retried after its correction). The corrections are
 * read from the courses' own streams of this log (archiveCourseStreamId), the highest course version's
 * standing: whatever the order the log holds them in, a rebuild arrives at the same titles.
 */
async function applyCourseTitles(tx: PoolClient, table: string, events: RecordedEvent<ArchiveEvent>[]): Promise<void> {
  const courses = new Set<string>();
  for (const event of events) {
    if (event.type === 'ArchiveCourseCorrected') courses.add(event.data.courseId);
    else if (event.type === 'ArchiveEntryRecorded' && event.data.context === 'training' && typeof event.data.details?.['courseId'] === 'string') courses.add(event.data.details['courseId']);
  }
  if (courses.size === 0) return;
  await tx.query(
    `UPDATE ${table} entry SET details = jsonb_set(entry.details, '{courseTitle}', to_jsonb(corrected.title)), course_version = corrected.source_version
       FROM (SELECT DISTINCT ON (data ->> 'courseId') data ->> 'courseId' AS course_id, data ->> 'title' AS title, (data ->> 'sourceVersion')::bigint AS source_version
               FROM events
              WHERE stream_id = ANY($1::text[]) AND event_type = 'ArchiveCourseCorrected'
              ORDER BY data ->> 'courseId', (data ->> 'sourceVersion')::bigint DESC) corrected
      WHERE entry.context = 'training' AND entry.details ->> 'courseId' = corrected.course_id
        AND coalesce(entry.course_version, 0) < corrected.source_version`,
    [[...courses].map(archiveCourseStreamId)],
  );
}

/** A void's row: its key is its message's id; its details name what it voids, as that fact's entries name it. */
interface VoidRow {
  traineeId: string;
  sourceEventId: string;
  kind: string;
  context: string;
  voidedOn: string;
  details: Record<string, string>;
  recording: number;
  position: string;
}

/** The row of a void, if the event is one (the projection reads the whole log: entries and other streams' events are none). */
function voidRowOf(event: RecordedEvent<ArchiveEvent>): VoidRow | undefined {
  const position = event.position.globalPosition;
  switch (event.type) {
    case 'ArchiveCertificateVoided': {
      const { traineeId, sourceEventId, voidedOn, certificateNumber, recording } = event.data;
      return { traineeId, sourceEventId, voidedOn, kind: VOIDED_CERTIFICATE_ROW, context: 'certification', details: { certificateNumber }, recording, position };
    }
    case 'ArchiveEmploymentVoided': {
      const { traineeId, sourceEventId, voidedOn, employmentId } = event.data;
      return { traineeId, sourceEventId, voidedOn, kind: VOIDED_EMPLOYMENT_ROW, context: 'placement', details: { employmentId }, recording: 1, position };
    }
    case 'ArchiveEnrollmentVoided': {
      const { traineeId, sourceEventId, voidedOn, enrollmentId } = event.data;
      return { traineeId, sourceEventId, voidedOn, kind: VOIDED_ENROLLMENT_ROW, context: 'training', details: { enrollmentId }, recording: 1, position };
    }
    default:
      return undefined;
  }
}

async function insertVoids(tx: PoolClient, table: string, events: RecordedEvent<ArchiveEvent>[]): Promise<void> {
  const voids = events.flatMap((event) => voidRowOf(event) ?? []);
  if (voids.length === 0) return;
  const column = <T>(of: (each: VoidRow) => T) => voids.map(of);
  await tx.query(
    `INSERT INTO ${table} (trainee_id, entry_key, kind, at, recorded_position, context, source_event_id, details, recording)
     SELECT trainee_id, source_event_id::text, kind, at, recorded_position, context, source_event_id, details, recording
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::bigint[], $6::text[], $7::jsonb[], $8::int[]) AS v(trainee_id, source_event_id, kind, at, recorded_position, context, details, recording)
     ON CONFLICT (trainee_id, entry_key) DO NOTHING`,
    [
      column((each) => each.traineeId),
      column((each) => each.sourceEventId),
      column((each) => each.kind),
      column((each) => each.voidedOn),
      column((each) => each.position),
      column((each) => each.context),
      column((each) => JSON.stringify(each.details)),
      column((each) => each.recording),
    ],
  );
}

/**
 * A stretch of the log (an import's certificates) in one upsert: every entry is sent (each checked by
 * its casts, as one by one), and of one key's entries the one of the highest source version, then
 * position, is kept, as the upsert's condition leaves it when they are applied one by one.
 */
async function upsertLatest(tx: PoolClient, table: string, events: RecordedEvent<ArchiveEvent>[]): Promise<void> {
  const entries = events.filter((event): event is RecordedEvent<ArchiveEntryRecorded> => event.type === 'ArchiveEntryRecorded');
  if (entries.length === 0) return;
  const column = <T>(of: (event: RecordedEvent<ArchiveEntryRecorded>) => T) => entries.map(of);
  await tx.query(
    `INSERT INTO ${table} (trainee_id, entry_key, kind, at, recorded_position, context, source_event_id, details, source_version, recording, course_version)
     SELECT DISTINCT ON (trainee_id, entry_key) *
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::bigint[], $6::text[], $7::uuid[], $8::jsonb[], $9::bigint[], $10::int[], $11::bigint[])
            AS e(trainee_id, entry_key, kind, at, recorded_position, context, source_event_id, details, source_version, recording, course_version)
      ORDER BY trainee_id, entry_key, coalesce(source_version, 0) DESC, recorded_position DESC
     ON CONFLICT (trainee_id, entry_key) DO UPDATE
       SET kind = excluded.kind, at = excluded.at, recorded_position = excluded.recorded_position,
           context = excluded.context, source_event_id = excluded.source_event_id, details = excluded.details,
           source_version = excluded.source_version, recording = excluded.recording, course_version = excluded.course_version
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
      column((event) => event.data.recording ?? 1),
      column((event) => event.data.courseVersion ?? null),
    ],
  );
}
