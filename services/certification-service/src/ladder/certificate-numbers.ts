import { Injectable } from '@nestjs/common';
import { FieldRefusal, formatCertificateNumber, nationalGradeOf, readCertificateNumber, SkillLevel } from '@skills/domain-kernel';
import { isDryRun } from '@skills/event-sourcing';
import { Database, Sql } from '@skills/postgres';
import { Evaluator } from '../evaluators/evaluator.aggregate';

/** An imported certificate's number and the ladder it goes on. */
export interface NumberClaim {
  certificateNumber: string;
  traineeId: string;
  occupationCode: string;
}

/** Hands out certificate numbers (domain.md section 1) and finds the ladder a number belongs to. */
@Injectable()
export class CertificateNumbers {
  constructor(private readonly database: Database) {}

  /**
   * The next serial of the evaluator in the certification year; the row lock makes concurrent issues
   * take turns. Committed on its own, so a refused certification leaves a gap, never a duplicate.
   * A dry run only reads the serial the next issue would take: it answers the number the certificate
   * would get now, writes nothing and holds no lock the evaluator's real issues would wait behind.
   */
  async next(evaluator: Evaluator & { status: 'registered' }, level: SkillLevel, certifiedOn: string): Promise<string> {
    const year = certifiedOn.slice(2, 4);
    const { rows } = isDryRun()
      ? await this.database.query<{ last_serial: number }>(
          `SELECT coalesce((SELECT last_serial FROM certificate_serials WHERE evaluator_id = $1 AND year = $2), 0) + 1 AS last_serial`,
          [evaluator.evaluatorId, year],
        )
      : await this.database.query<{ last_serial: number }>(
          `INSERT INTO certificate_serials (evaluator_id, year, last_serial) VALUES ($1, $2, 1)
           ON CONFLICT (evaluator_id, year) DO UPDATE SET last_serial = certificate_serials.last_serial + 1
           RETURNING last_serial`,
          [evaluator.evaluatorId, year],
        );
    return formatCertificateNumber({
      evaluatorKind: evaluator.kind,
      evaluatorCode: evaluator.evaluatorCode,
      province: evaluator.regionCode.slice(0, 2),
      site: evaluator.regionCode,
      year,
      nationalGrade: nationalGradeOf(level),
      serial: rows[0].last_serial,
    });
  }

  /** In the certification's transaction: a number exists if and only if its certificate does. */
  async record(tx: Sql, certificateNumber: string, traineeId: string, occupationCode: string): Promise<void> {
    await tx.query('INSERT INTO certificate_numbers (certificate_number, trainee_id, occupation_code) VALUES ($1, $2, $3)', [certificateNumber, traineeId, occupationCode]);
  }

  /**
   * Imported certificates' numbers, in their batch's transaction, in the batch's order: a number already
   * on the platform (issued here, imported before, earlier in the same batch) is refused, never recorded
   * twice. Two claims of one number at once queue on its key, and the later finds it taken. Answers the
   * refusal of each claim that did not take its number (by index), and nothing for those that did.
   */
  async claimAll(tx: Sql, claims: NumberClaim[]): Promise<Map<number, FieldRefusal>> {
    const { rows } = await tx.query<{ certificate_number: string }>(
      `INSERT INTO certificate_numbers (certificate_number, trainee_id, occupation_code)
       SELECT number, trainee_id, occupation_code FROM unnest($1::text[], $2::uuid[], $3::text[]) WITH ORDINALITY AS c(number, trainee_id, occupation_code, n)
       ORDER BY number, n -- in key order, so two batches never lock each other's numbers crosswise; of one number the first claim wins
       ON CONFLICT (certificate_number) DO NOTHING RETURNING certificate_number`,
      [claims.map((claim) => claim.certificateNumber), claims.map((claim) => claim.traineeId), claims.map((claim) => claim.occupationCode)],
    );
    const inserted = new Set(rows.map((row) => row.certificate_number));
    const refusals = new Map<number, FieldRefusal>();
    claims.forEach(({ certificateNumber }, index) => {
      // The first claim of a number in the batch took it; a second one of the same number did not.
      if (inserted.delete(certificateNumber)) return;
      refusals.set(index, new FieldRefusal('certificateNumber', 'certificate_number_taken', `certificate number ${certificateNumber} is already recorded: a number is unique across the platform`, { certificateNumber }));
    });
    return refusals;
  }

  /** Gives back numbers claimed for certificates that were then refused (the batch's transaction goes on). */
  async release(tx: Sql, certificateNumbers: string[]): Promise<void> {
    if (certificateNumbers.length > 0) await tx.query('DELETE FROM certificate_numbers WHERE certificate_number = ANY($1::text[])', [certificateNumbers]);
  }

  /**
   * Imported numbers of the current format (the ladder has checked they are `evaluatorId`'s) took their
   * serials in their years: the evaluator's next issues of those years go on after them, never onto them.
   */
  async passSerials(tx: Sql, evaluatorId: string, certificateNumbers: string[]): Promise<void> {
    const lastOfYear = new Map<string, number>();
    for (const number of certificateNumbers) {
      const reading = readCertificateNumber(number);
      if (reading.ok) lastOfYear.set(reading.facts.year, Math.max(lastOfYear.get(reading.facts.year) ?? 0, reading.facts.serial));
    }
    if (lastOfYear.size === 0) return;
    await tx.query(
      `INSERT INTO certificate_serials (evaluator_id, year, last_serial) SELECT $1, * FROM unnest($2::text[], $3::int[])
       ON CONFLICT (evaluator_id, year) DO UPDATE SET last_serial = greatest(certificate_serials.last_serial, excluded.last_serial)`,
      [evaluatorId, [...lastOfYear.keys()], [...lastOfYear.values()]],
    );
  }

  async holderOf(certificateNumber: string): Promise<{ traineeId: string; occupationCode: string } | undefined> {
    const { rows } = await this.database.query<{ trainee_id: string; occupation_code: string }>(
      'SELECT trainee_id, occupation_code FROM certificate_numbers WHERE certificate_number = $1',
      [certificateNumber.toUpperCase()],
    );
    return rows[0] && { traineeId: rows[0].trainee_id, occupationCode: rows[0].occupation_code };
  }
}
