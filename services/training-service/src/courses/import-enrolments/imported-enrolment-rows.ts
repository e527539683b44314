import { Injectable } from '@nestjs/common';
import { ImportRowSubmitted } from '@skills/contracts';
import { Sql, Statement } from '@skills/postgres';

/**
 * Which course each enrolments import row's key was kept for (`imported_enrolment_rows`, beside the shared
 * `import_row_keys`, whose natural key is a keyed hash made by trainee-service that names the course only
 * inside the hash). A void of an enrolment (recorded in error) must forget its rows' keys: the same row
 * uploaded again is then recorded anew, not answered "already present". Each row here goes with its key
 * (ON DELETE CASCADE): an erasure that deletes the person's keys deletes these with them.
 */
@Injectable()
export class ImportedEnrolmentRows {
  /** In the batch's transaction, for the rows of the course whose keys the batch keeps (every row not refused). */
  async remember(tx: Sql, organisationId: string, courseId: string, rows: ImportRowSubmitted[]): Promise<void> {
    const kept = rows.filter((row) => row.traineeId !== null);
    if (kept.length === 0) return;
    await tx.query(
      `INSERT INTO imported_enrolment_rows (organisation_id, natural_key, key, course_id, trainee_id)
       SELECT DISTINCT ON (natural_key, key) $1::uuid, natural_key, key, $2::uuid, trainee_id FROM unnest($3::text[], $4::text[], $5::uuid[]) AS r(natural_key, key, trainee_id)
       ON CONFLICT (organisation_id, kind, natural_key, key) DO UPDATE SET course_id = excluded.course_id, trainee_id = excluded.trainee_id`,
      [organisationId, courseId, kept.map((row) => row.naturalKey), kept.map((row) => row.key), kept.map((row) => row.traineeId)],
    );
  }
}

/**
 * With the void's events: every kept version of the voided enrolment's rows (by their natural keys), the
 * trainee's (or of no trainee, kept before keys named one), forgotten; these rows go with them (cascade).
 * Rows imported before this table was kept are not found: that very row uploaded again is answered present.
 */
export function forgetImportedRowsOf({ courseId, traineeId }: { courseId: string; traineeId: string }): Statement {
  return {
    text: `DELETE FROM import_row_keys k USING (SELECT DISTINCT organisation_id, kind, natural_key FROM imported_enrolment_rows WHERE course_id = $1 AND trainee_id = $2) r
            WHERE k.organisation_id = r.organisation_id AND k.kind = r.kind AND k.natural_key = r.natural_key AND (k.trainee_id = $2 OR k.trainee_id IS NULL)`,
    values: [courseId, traineeId],
  };
}
