import { Injectable } from '@nestjs/common';
import { FieldRefusal, formatCertificateNumber, nationalGradeOf, readCertificateNumber, SkillLevel } from '@skills/domain-kernel';
import { isDryRun } from '@skills/event-sourcing';
import { Database, Sql } from '@skills/postgres';
import { Evaluator } from '../evaluators/evaluator.aggregate';

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
   * An imported certificate's number, in its transaction: one already on the platform (issued here,
   * imported before, earlier in the same batch) is refused, never recorded twice. Two claims of one
   * number at once queue on its key, and the later finds it taken. A number of the current format
   * (the ladder has checked it is `evaluatorId`'s) took its serial in its year: the evaluator's next
   * issues of that year go on after it, never onto it.
   */
  async claim(tx: Sql, certificateNumber: string, holder: { traineeId: string; occupationCode: string }, evaluatorId: string): Promise<void> {
    const { rowCount } = await tx.query(
      'INSERT INTO certificate_numbers (certificate_number, trainee_id, occupation_code) VALUES ($1, $2, $3) ON CONFLICT (certificate_number) DO NOTHING',
      [certificateNumber, holder.traineeId, holder.occupationCode],
    );
    if (rowCount === 0) throw new FieldRefusal('certificateNumber', 'certificate_number_taken', `certificate number ${certificateNumber} is already recorded: a number is unique across the platform`, { certificateNumber });
    const reading = readCertificateNumber(certificateNumber);
    if (!reading.ok) return;
    await tx.query(
      `INSERT INTO certificate_serials (evaluator_id, year, last_serial) VALUES ($1, $2, $3)
       ON CONFLICT (evaluator_id, year) DO UPDATE SET last_serial = greatest(certificate_serials.last_serial, excluded.last_serial)`,
      [evaluatorId, reading.facts.year, reading.facts.serial],
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
