import { Injectable } from '@nestjs/common';
import { Sql } from '@skills/postgres';

/**
 * Which import row recorded each imported certificate (`imported_certificate_rows`: the number, the
 * organisation and the row's natural key, a keyed hash made by trainee-service). The shared import rows'
 * keys (`import_row_keys`) know rows by natural key only, and a void must forget the voided certificate's:
 * the same row uploaded again is then recorded again, not answered "already present".
 */
@Injectable()
export class ImportedCertificateRows {
  /** In the batch's transaction, for the certificates it recorded. */
  async remember(tx: Sql, organisationId: string, recorded: Array<{ certificateNumber: string; naturalKey: string }>): Promise<void> {
    if (recorded.length === 0) return;
    await tx.query(
      `INSERT INTO imported_certificate_rows (certificate_number, organisation_id, natural_key)
       SELECT number, $1, natural_key FROM unnest($2::text[], $3::text[]) AS r(number, natural_key)
       ON CONFLICT (certificate_number) DO UPDATE SET organisation_id = excluded.organisation_id, natural_key = excluded.natural_key`,
      [organisationId, recorded.map((each) => each.certificateNumber), recorded.map((each) => each.naturalKey)],
    );
  }

  /**
   * In the void's transaction: the row that recorded the certificate is forgotten with its keys. A
   * certificate imported before this table was kept has none here; its row's keys stay (that very row
   * uploaded again is answered present; a corrected one is recorded, as the number is free).
   */
  async forget(tx: Sql, certificateNumber: string): Promise<void> {
    await tx.query(
      `WITH forgotten AS (DELETE FROM imported_certificate_rows WHERE certificate_number = $1 RETURNING organisation_id, natural_key)
       DELETE FROM import_row_keys k USING forgotten f WHERE k.organisation_id = f.organisation_id AND k.kind = 'certificates' AND k.natural_key = f.natural_key`,
      [certificateNumber],
    );
  }
}
