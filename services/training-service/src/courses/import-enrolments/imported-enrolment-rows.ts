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
  /**
   * In the batch's transaction, for the rows of the course whose keys the batch keeps (every row not refused),
   * each with the enrolment it recorded or found: only that enrolment's void forgets it.
   */
  async remember(tx: Sql, organisationId: string, courseId: string, rows: Array<ImportRowSubmitted & { enrollmentId: string }>): Promise<void> {
    const kept = rows.filter((row) => row.traineeId !== null);
    if (kept.length === 0) return;
    await tx.query(
      `INSERT INTO imported_enrolment_rows (organisation_id, natural_key, key, course_id, trainee_id, enrollment_id)
       SELECT DISTINCT ON (natural_key, key) $1::uuid, natural_key, key, $2::uuid, trainee_id, enrollment_id
         FROM unnest($3::text[], $4::text[], $5::uuid[], $6::uuid[]) AS r(natural_key, key, trainee_id, enrollment_id)
       ON CONFLICT (organisation_id, kind, natural_key, key) DO UPDATE SET course_id = excluded.course_id, trainee_id = excluded.trainee_id, enrollment_id = excluded.enrollment_id`,
      [organisationId, courseId, kept.map((row) => row.naturalKey), kept.map((row) => row.key), kept.map((row) => row.traineeId), kept.map((row) => row.enrollmentId)],
    );
  }
}

/**
 * With the void's events: the kept versions of the rows that recorded (or found) the voided enrolment,
 * forgotten; these rows go with them (cascade). Not the rows of the trainee's other enrolments in the course
 * (one withdrawn, then enrolled again by a file): kept, they still answer present. Rows imported before this
 * table was kept are not found: that very row uploaded again is answered present.
 */
export function forgetImportedRowsOf({ enrollmentId }: { enrollmentId: string }): Statement {
  return {
    text: `DELETE FROM import_row_keys k USING imported_enrolment_rows r
            WHERE r.enrollment_id = $1 AND k.organisation_id = r.organisation_id AND k.kind = r.kind AND k.natural_key = r.natural_key AND k.key = r.key`,
    values: [enrollmentId],
  };
}
