import { rankOf } from '@skills/domain-kernel';
import { Projection } from '@skills/event-sourcing';
import { LadderEvent } from '../ladder.aggregate';

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
      evaluator_id uuid
    )`);
    // A table created before the evaluator's id was kept: add it (a rebuild then fills it from the log).
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS evaluator_id uuid`);
    // A table created before revocation reasons were listed: add it (a rebuild then fills it from the log).
    await tx.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS revocation_reason text`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_trainee ON ${table} (trainee_id, occupation_code)`);
    // The issuer's list (GET /api/v1/certificates): its certificates newest first, a page at a time.
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_evaluator ON ${table} (evaluator_id, certified_on DESC, certificate_number DESC)`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${table}_by_occupation ON ${table} (occupation_code, region_code) WHERE status = 'valid'`);
  },
  async apply(tx, table, event) {
    switch (event.type) {
      case 'LevelCertified': {
        const data = event.data;
        await tx.query(
          `INSERT INTO ${table} (certificate_number, trainee_id, occupation_code, region_code, level, rank, route, evaluator_name, certified_on, status, evaluator_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'valid', $10) ON CONFLICT (certificate_number) DO NOTHING`,
          [data.certificateNumber, data.traineeId, data.occupationCode, data.regionCode, data.level, rankOf(data.level), data.route, data.evaluatorName, data.certifiedOn, data.evaluatorId],
        );
        return;
      }
      case 'CertificateRevoked':
        await tx.query(`UPDATE ${table} SET status = 'revoked', revoked_on = $2, revocation_reason = $3 WHERE certificate_number = $1`, [
          event.data.certificateNumber,
          event.data.revokedOn,
          event.data.reason,
        ]);
        return;
    }
  },
};
