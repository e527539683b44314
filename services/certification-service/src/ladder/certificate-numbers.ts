import { Injectable } from '@nestjs/common';
import { DomainRefusal, FieldRefusal, formatCertificateNumber, nationalGradeOf, readCertificateNumber, SkillLevel } from '@skills/domain-kernel';
import { isDryRun } from '@skills/event-sourcing';
import { Database, Sql } from '@skills/postgres';
import { Evaluator } from '../evaluators/evaluator.aggregate';

/** A certificate's number and the ladder it goes on. */
export interface NumberClaim {
  certificateNumber: string;
  traineeId: string;
  occupationCode: string;
}

/** A number ends in a serial of six digits (domain.md section 1): an evaluator's last of a year is this one. */
const LAST_SERIAL = 999_999;
const SERIAL_DIGITS = 6;

/**
 * The evaluator's next serial of the year, and the number it makes recorded for its certificate unless
 * the number is on the platform already ($3: the number but its serial). Past the last serial, nothing is
 * recorded and the serial answered is the one too many, where the serial then stays.
 */
const TAKE_NUMBER = `WITH taken AS (
    INSERT INTO certificate_serials (evaluator_id, year, last_serial) VALUES ($1, $2, 1)
    ON CONFLICT (evaluator_id, year) DO UPDATE SET last_serial = least(certificate_serials.last_serial + 1, ${LAST_SERIAL + 1})
    RETURNING last_serial
  ), recorded AS (
    INSERT INTO certificate_numbers (certificate_number, trainee_id, occupation_code)
    SELECT $3::text || lpad(last_serial::text, ${SERIAL_DIGITS}, '0'), $4::uuid, $5::text FROM taken WHERE last_serial <= ${LAST_SERIAL}
    ON CONFLICT (certificate_number) DO NOTHING
    RETURNING certificate_number
  )
  SELECT taken.last_serial, recorded.certificate_number FROM taken LEFT JOIN recorded ON true`;

/**
 * A voided number is not handed out again by a certification: its paper may be in someone's hands (an
 * imported certificate voided for a wrong cell is still genuine), and only an import of that certificate
 * records it again. Its row stays on the index without a holder (free), so serials pass over it and the
 * highest free number past the last serial is never it.
 *
 * Past the year's last serial, the highest serial whose number ($1 but its serial) is not on the platform.
 * The serials went past the last one because an imported number's did (a typo in a serial of a historical
 * certificate, say): the numbers left free below are given from the top down, away from the low serials
 * the evaluator's certificates of that year not imported yet would bring. Each probe is an index lookup.
 * `generate_series` in the select list yields its serials one at a time, in its order (in FROM it would be
 * a function scan that first writes all 999,999 of them out), so LIMIT 1 takes the highest free one and
 * neither makes nor probes any further.
 */
const HIGHEST_FREE_NUMBER = `SELECT number FROM (SELECT $1::text || lpad(generate_series(${LAST_SERIAL}, 1, -1)::text, ${SERIAL_DIGITS}, '0') AS number) candidate
  WHERE NOT EXISTS (SELECT 1 FROM certificate_numbers WHERE certificate_number = candidate.number) LIMIT 1`;

/** The highest free number past the last serial, recorded for the certificate unless taken meanwhile (a claim not committed yet). */
const TAKE_HIGHEST_FREE_NUMBER = `WITH free AS (${HIGHEST_FREE_NUMBER}), recorded AS (
    INSERT INTO certificate_numbers (certificate_number, trainee_id, occupation_code) SELECT number, $2::uuid, $3::text FROM free
    ON CONFLICT (certificate_number) DO NOTHING RETURNING certificate_number
  )
  SELECT recorded.certificate_number FROM free LEFT JOIN recorded ON true`;

/** What a dry run reads: the serial `$3` past the evaluator's last of the year, and whether its number ($4 but its serial) is on the platform. */
const READ_NUMBER = `SELECT serial, EXISTS (SELECT 1 FROM certificate_numbers WHERE certificate_number = $4::text || lpad(serial::text, ${SERIAL_DIGITS}, '0')) AS taken
  FROM (SELECT coalesce((SELECT last_serial FROM certificate_serials WHERE evaluator_id = $1 AND year = $2), 0) + $3::int AS serial) next`;

/** Hands out certificate numbers (domain.md section 1) and finds the ladder a number belongs to. */
@Injectable()
export class CertificateNumbers {
  constructor(private readonly database: Database) {}

  /**
   * The next number of the evaluator in the certification year, recorded for the certificate, in the
   * certification's transaction, under its ladder's lock: the serial's row lock makes the evaluator's
   * issues take turns (an import of its certificates of that year takes it too, before it claims their
   * numbers), and a refused certification rolls its serial back with everything else, so only a
   * certificate issued uses one up. A number already on the platform is passed over for the next serial,
   * never answered twice. Past the year's last serial (an imported number's may have taken the serials
   * there), the grade's numbers still free are given from the top down; none left:
   * certificate_serials_exhausted.
   * A dry run only reads the number the certification would take now: it writes nothing and holds no
   * lock the evaluator's real issues would wait behind.
   */
  async take(tx: Sql, evaluator: Evaluator & { status: 'registered' }, level: SkillLevel, certifiedOn: string, holder: Omit<NumberClaim, 'certificateNumber'>): Promise<string> {
    const year = certifiedOn.slice(2, 4);
    // Every part of the number but its serial, as domain.md section 1 spells it.
    const numberBefore = formatCertificateNumber({
      evaluatorKind: evaluator.kind,
      evaluatorCode: evaluator.evaluatorCode,
      province: evaluator.regionCode.slice(0, 2),
      site: evaluator.regionCode,
      year,
      nationalGrade: nationalGradeOf(level),
      serial: 1,
    }).slice(0, -SERIAL_DIGITS);
    const dryRun = isDryRun();
    for (let ahead = 1; ; ahead++) {
      if (dryRun) {
        const { rows } = await tx.query<{ serial: number; taken: boolean }>(READ_NUMBER, [evaluator.evaluatorId, year, ahead, numberBefore]);
        const [{ serial, taken }] = rows;
        if (serial > LAST_SERIAL) return this.highestFree(tx, numberBefore, evaluator, certifiedOn);
        if (!taken) return `${numberBefore}${String(serial).padStart(SERIAL_DIGITS, '0')}`;
      } else {
        const { rows } = await tx.query<{ last_serial: number; certificate_number: string | null }>(TAKE_NUMBER, [evaluator.evaluatorId, year, numberBefore, holder.traineeId, holder.occupationCode]);
        const [{ last_serial: serial, certificate_number: recorded }] = rows;
        if (serial > LAST_SERIAL) return this.highestFree(tx, numberBefore, evaluator, certifiedOn, holder);
        if (recorded) return recorded;
      }
    }
  }

  /**
   * Past the year's last serial, the highest number of the grade still free, recorded for `holder` (read
   * only, in a dry run, without one). The serial's row lock still makes the evaluator's issues take turns;
   * a number an import claims meanwhile is found taken, and the next one down is tried.
   * None free: certificate_serials_exhausted.
   */
  private async highestFree(tx: Sql, numberBefore: string, evaluator: Evaluator & { status: 'registered' }, certifiedOn: string, holder?: Omit<NumberClaim, 'certificateNumber'>): Promise<string> {
    if (!holder) {
      const { rows } = await tx.query<{ number: string }>(HIGHEST_FREE_NUMBER, [numberBefore]);
      if (rows.length === 0) throw serialsExhausted(evaluator, certifiedOn);
      return rows[0].number;
    }
    for (;;) {
      const { rows } = await tx.query<{ certificate_number: string | null }>(TAKE_HIGHEST_FREE_NUMBER, [numberBefore, holder.traineeId, holder.occupationCode]);
      if (rows.length === 0) throw serialsExhausted(evaluator, certifiedOn);
      if (rows[0].certificate_number) return rows[0].certificate_number;
    }
  }

  /**
   * Imported certificates' numbers, in their batch's transaction, in the batch's order: a number already
   * on the platform (issued here, imported before, earlier in the same batch) is refused, never recorded
   * twice. Two claims of one number at once queue on its key, and the later finds it taken. Answers, by
   * index, the refusal of each claim that did not take its number, and the recording of each that did: 1,
   * or one past the recordings of the number voided before (LevelCertified's `recording`).
   */
  async claimAll(tx: Sql, claims: NumberClaim[]): Promise<{ refusals: Map<number, FieldRefusal>; recordings: Map<number, number> }> {
    // A voided number's row (no holder) is claimed by updating it: a void in flight is waited for, and the
    // count of recordings voided read from the row as it left it, never from before it.
    const { rows } = await tx.query<{ certificate_number: string; recording: number }>(
      `INSERT INTO certificate_numbers (certificate_number, trainee_id, occupation_code)
       SELECT DISTINCT ON (number) number, trainee_id, occupation_code
         FROM unnest($1::text[], $2::uuid[], $3::text[]) WITH ORDINALITY AS c(number, trainee_id, occupation_code, n)
        ORDER BY number, n -- in key order, so two batches never lock each other's numbers crosswise; of one number the first claim wins
       ON CONFLICT (certificate_number) DO UPDATE SET trainee_id = excluded.trainee_id, occupation_code = excluded.occupation_code
         WHERE certificate_numbers.trainee_id IS NULL
       RETURNING certificate_number, voided_recordings + 1 AS recording`,
      [claims.map((claim) => claim.certificateNumber), claims.map((claim) => claim.traineeId), claims.map((claim) => claim.occupationCode)],
    );
    const inserted = new Map(rows.map((row) => [row.certificate_number, row.recording]));
    const refusals = new Map<number, FieldRefusal>();
    const recordings = new Map<number, number>();
    claims.forEach(({ certificateNumber }, index) => {
      // The first claim of a number in the batch took it; a second one of the same number did not.
      const recording = inserted.get(certificateNumber);
      if (recording !== undefined) {
        inserted.delete(certificateNumber);
        recordings.set(index, recording);
        return;
      }
      refusals.set(index, new FieldRefusal('certificateNumber', 'certificate_number_taken', `certificate number ${certificateNumber} is already recorded: a number is unique across the platform`, { certificateNumber }));
    });
    return { refusals, recordings };
  }

  /**
   * A voided certificate's number, free again (in the void's transaction): its row keeps no holder, and
   * counts one more recording voided, so the next recording of it (an import of the corrected row) is told
   * apart from this one.
   */
  async free(tx: Sql, certificateNumber: string): Promise<void> {
    await tx.query('UPDATE certificate_numbers SET trainee_id = NULL, occupation_code = NULL, voided_recordings = voided_recordings + 1 WHERE certificate_number = $1', [certificateNumber]);
  }

  /** Gives back numbers claimed for certificates that were then refused (the batch's transaction goes on); a voided one stays free, with its count. */
  async release(tx: Sql, certificateNumbers: string[]): Promise<void> {
    if (certificateNumbers.length === 0) return;
    await tx.query(
      `WITH voided AS (
         UPDATE certificate_numbers SET trainee_id = NULL, occupation_code = NULL WHERE certificate_number = ANY($1::text[]) AND voided_recordings > 0 RETURNING certificate_number
       )
       DELETE FROM certificate_numbers WHERE certificate_number = ANY($1::text[]) AND voided_recordings = 0`,
      [certificateNumbers],
    );
  }

  /**
   * Imported numbers of the current format (the ladder has checked they are `evaluatorId`'s) took their
   * serials in their years: the evaluator's next issues of those years go on after them, never onto them.
   * In the batch's transaction before it claims the numbers: the rows stay locked to its end, so a
   * certification of the evaluator in one of those years waits for the batch and takes a serial past its
   * numbers, rather than one of them. Years in order, so two batches lock them in the same order.
   */
  async passSerials(tx: Sql, evaluatorId: string, certificateNumbers: string[]): Promise<void> {
    const lastOfYear = new Map<string, number>();
    for (const number of certificateNumbers) {
      const reading = readCertificateNumber(number);
      if (reading.ok) lastOfYear.set(reading.facts.year, Math.max(lastOfYear.get(reading.facts.year) ?? 0, reading.facts.serial));
    }
    if (lastOfYear.size === 0) return;
    const years = [...lastOfYear.keys()].sort();
    await tx.query(
      `INSERT INTO certificate_serials (evaluator_id, year, last_serial) SELECT $1, * FROM unnest($2::text[], $3::int[])
       ON CONFLICT (evaluator_id, year) DO UPDATE SET last_serial = greatest(certificate_serials.last_serial, excluded.last_serial)`,
      [evaluatorId, years, years.map((year) => lastOfYear.get(year))],
    );
  }

  async holderOf(certificateNumber: string): Promise<{ traineeId: string; occupationCode: string } | undefined> {
    const { rows } = await this.database.query<{ trainee_id: string; occupation_code: string }>(
      'SELECT trainee_id, occupation_code FROM certificate_numbers WHERE certificate_number = $1 AND trainee_id IS NOT NULL',
      [certificateNumber.toUpperCase()],
    );
    return rows[0] && { traineeId: rows[0].trainee_id, occupationCode: rows[0].occupation_code };
  }
}

/** Every number of the evaluator's year and grade is on the platform: none is left for it (names no holder). */
function serialsExhausted(evaluator: Evaluator & { status: 'registered' }, certifiedOn: string): DomainRefusal {
  const year = certifiedOn.slice(0, 4);
  return new DomainRefusal('certificate_serials_exhausted', `evaluator ${evaluator.evaluatorId} has every certificate number of serials 1 to ${LAST_SERIAL} of ${year} at this grade on the platform: no number is left for a certificate of that year and grade`, {
    evaluatorId: evaluator.evaluatorId,
    year,
  });
}
