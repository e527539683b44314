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
    // Which recording of its number the row is (1 but for a number recorded again after a void).
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS recording integer NOT NULL DEFAULT 1`);
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
 * A row holds its number's latest recording: a later one replaces it, and a revocation or a void changes
 * only its own. The log may hold a number's next recording before the void of the one before (an import
 * whose transaction began before the void committed), and the later recording must stand all the same.
 */
async function applyToCertificates(tx: PoolClient, table: string, events: RecordedEvent<LadderEvent>[]): Promise<void> {
  let certified: Array<LevelCertified['data'] & { recordedAt: string; recorded: number }> = [];
  const insertCertified = async () => {
    if (certified.length === 0) return;
    const column = <Key extends keyof (typeof certified)[number]>(key: Key) => certified.map((data) => data[key]);
    // Of one number's recordings, the latest; of one recording certified twice, the first, as one insert after another left it.
    await tx.query(
      `INSERT INTO ${table} (certificate_number, trainee_id, occupation_code, region_code, level, rank, route, evaluator_name, certified_on, status, evaluator_id, recorded_at, recording)
       SELECT DISTINCT ON (c.number) c.number, c.trainee_id, c.occupation_code, c.region_code, c.level, c.rank, c.route, c.evaluator_name, c.certified_on, 'valid', c.evaluator_id, c.recorded_at, c.recording
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::smallint[], $7::text[], $8::text[], $9::date[], $10::uuid[], $11::timestamptz[], $12::int[]) WITH ORDINALITY
           AS c(number, trainee_id, occupation_code, region_code, level, rank, route, evaluator_name, certified_on, evaluator_id, recorded_at, recording, n)
        ORDER BY c.number, c.recording DESC, c.n
       ON CONFLICT (certificate_number) DO UPDATE
         SET trainee_id = excluded.trainee_id, occupation_code = excluded.occupation_code, region_code = excluded.region_code, level = excluded.level,
             rank = excluded.rank, route = excluded.route, evaluator_name = excluded.evaluator_name, certified_on = excluded.certified_on,
             status = 'valid', revoked_on = NULL, revocation_reason = NULL, evaluator_id = excluded.evaluator_id, recorded_at = excluded.recorded_at, recording = excluded.recording
         WHERE ${table}.recording < excluded.recording`,
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
        column('recorded'),
      ],
    );
    certified = [];
  };
  for (const event of events) {
    if (event.type === 'LevelCertified') certified.push({ ...event.data, recordedAt: event.recordedAt, recorded: event.data.recording ?? 1 });
    else if (event.type === 'CertificateRevoked') {
      await insertCertified();
      await tx.query(`UPDATE ${table} SET status = 'revoked', revoked_on = $2, revocation_reason = $3 WHERE certificate_number = $1 AND recording = $4`, [
        event.data.certificateNumber,
        event.data.revokedOn,
        event.data.reason,
        event.data.recording ?? 1,
      ]);
    } else if (event.type === 'CertificateVoided') {
      // Recorded in error: as if never recorded. The number's next recording, later in the log, is inserted anew.
      await insertCertified();
      await tx.query(`DELETE FROM ${table} WHERE certificate_number = $1 AND recording = $2`, [event.data.certificateNumber, event.data.recording ?? 1]);
    }
  }
  await insertCertified();
}
