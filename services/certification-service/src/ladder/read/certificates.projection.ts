import { rankOf } from '@skills/domain-kernel';
import { Projection, RecordedEvent } from '@skills/event-sourcing';
import { PoolClient } from 'pg';
import { LadderEvent, LevelCertified } from '../ladder.aggregate';

/**
 * One row per certificate with its status. The per-trainee ladder and the distribution are both
 * read from it (the current level = the highest valid certificate), so they always agree. The issuing
 * evaluator's id relates it to the trainee for reads of the ladder (domain.md section 9), and lists what it issued.
 */
export const certificatesProjection: Projection<LadderEvent> = {
  name: 'certificates',
  table: 'certificates',
  async createTable(tx, table) {
    await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
      certificate_number text PRIMARY KEY,
      trainee_id uuid NOT NULL,
      occupation_code text NOT NULL,
      region_code text NOT NULL,
      level text NOT NULL,
      rank smallint NOT NULL,
      route text NOT NULL,
      evaluator_name text NOT NULL,
      certified_on date NOT NULL,
      status text NOT NULL,
      revoked_on date,
      evaluator_id uuid,
      recorded_at timestamptz
    )`);
    // A table created before the evaluator's id was kept: add it (a rebuild then fills it from the log).
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS evaluator_id uuid`);
    // A table created before revocation reasons were listed: add it (a rebuild then fills it from the log).
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS revocation_reason text`);
    // When the certificate was entered (the event's recorded time, not its certifiedOn): a table of an older
    // build is filled from the log by CertificatesRecordedAt (certification.migrations.ts).
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS recorded_at timestamptz`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_trainee ON ${table} (trainee_id, occupation_code)`);
    // The issuer's list (GET /api/v1/certificates): its certificates newest first, a page at a time.
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_evaluator ON ${table} (evaluator_id, certified_on DESC, certificate_number DESC)`);
    // The same list by entry, newest entered first (?sort=recorded).
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_evaluator_recorded ON ${table} (evaluator_id, recorded_at DESC, certificate_number DESC)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_occupation ON ${table} (occupation_code, region_code) WHERE status = 'valid'`);
  },
  apply: (tx, table, event) => applyToCertificates(tx, table, [event]),
  applyAll: applyToCertificates,
};

/**
 * Consecutive certifications in one insert (an import's batch is 500 of them, one statement a row
 * before); a revocation or a void in between ends the run, so it finds the certificate it changes.
 */
async function applyToCertificates(tx: PoolClient, table: string, events: RecordedEvent<LadderEvent>[]): Promise<void> {
  let certified: Array<LevelCertified['data'] & { recordedAt: string }> = [];
  const insertCertified = async () => {
    if (certified.length === 0) return;
    const column = <Key extends keyof (typeof certified)[number]>(key: Key) => certified.map((data) => data[key]);
    // In the log's order: of a number certified twice, the first stays, as one insert after another left it.
    await tx.query(
      `INSERT INTO ${table} (certificate_number, trainee_id, occupation_code, region_code, level, rank, route, evaluator_name, certified_on, status, evaluator_id, recorded_at)
       SELECT c.number, c.trainee_id, c.occupation_code, c.region_code, c.level, c.rank, c.route, c.evaluator_name, c.certified_on, 'valid', c.evaluator_id, c.recorded_at
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::text[], $8::text[], $9::date[], $10::uuid[], $11::timestamptz[]) WITH ORDINALITY
           AS c(number, trainee_id, occupation_code, region_code, level, rank, route, evaluator_name, certified_on, evaluator_id, recorded_at, n)
        ORDER BY c.n
       ON CONFLICT (certificate_number) DO NOTHING`,
      [
        column('certificateNumber'),
        column('traineeId'),
        column('occupationCode'),
        column('regionCode'),
        column('level'),
        certified.map((data) => rankOf(data.level)),
        column('route'),
        column('evaluatorName'),
        column('certifiedOn'),
        column('evaluatorId'),
        column('recordedAt'),
      ],
    );
    certified = [];
  };
  for (const event of events) {
    if (event.type === 'LevelCertified') certified.push({ ...event.data, recordedAt: event.recordedAt });
    else if (event.type === 'CertificateRevoked') {
      await insertCertified();
      await tx.query(`UPDATE ${table} SET status = 'revoked', revoked_on = $2, revocation_reason = $3 WHERE certificate_number = $1`, [
        event.data.certificateNumber,
        event.data.revokedOn,
        event.data.reason,
      ]);
    } else if (event.type === 'CertificateVoided') {
      // Recorded in error: as if never recorded. The number's next recording, later in the log, is inserted anew.
      await insertCertified();
      await tx.query(`DELETE FROM ${table} WHERE certificate_number = $1`, [event.data.certificateNumber]);
    }
  }
  await insertCertified();
}
